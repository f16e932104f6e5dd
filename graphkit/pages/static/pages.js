// graphkit pages: the one script. On a source page, the passage named by the URL's #start-end
// is marked (every stretch of text it covers) and scrolled into view; the rest of the pages
// work without it.
(function () {
  "use strict";
  function markPassage() {
    var previous = document.querySelectorAll(".q.current");
    for (var i = 0; i < previous.length; i++) previous[i].classList.remove("current");
    var name = decodeURIComponent(window.location.hash.slice(1));
    var missing = document.getElementById("no-passage");
    if (missing) missing.hidden = true;
    if (!/^\d+-\d+$/.test(name)) return;
    var pieces = document.querySelectorAll(".q[data-passages]");
    var first = null, link = null;
    for (var j = 0; j < pieces.length; j++) {
      if (pieces[j].getAttribute("data-passages").split(" ").indexOf(name) >= 0) {
        pieces[j].classList.add("current");
        first = first || pieces[j];
        if (!link && pieces[j].tagName === "A") link = pieces[j];     // white space alone is no link
      }
    }
    if (first) {
      first.scrollIntoView({block: "center"});
      if (link) link.focus({preventScroll: true});
    } else if (missing) {
      // A bookmarked or typed #start-end that no statement quotes (offsets of another release):
      // the page had opened at its top, with no word that the passage was not there.
      missing.textContent = "No quoted passage spans characters " + name + " of this text: " +
        "the quoted passages are highlighted below, and listed under \u201cStatements by passage\u201d.";
      missing.hidden = false;
    }
  }
  window.addEventListener("hashchange", markPassage);
  document.addEventListener("DOMContentLoaded", markPassage);
  // Again once loaded: the browser's own move to the #start-end it was opened at comes after
  // DOMContentLoaded and left the keyboard's focus on the page, not the passage (measured).
  window.addEventListener("load", markPassage);
})();
