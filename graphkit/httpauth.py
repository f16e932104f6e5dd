"""HTTP authentication as a server asks for it: its ``WWW-Authenticate`` challenges read, and
the ``Authorization`` answer to a Digest challenge computed (RFC 7616), so a client can send a
password without it travelling (Virtuoso's ``-auth`` endpoints take nothing else).
:class:`graphkit.push.GraphStoreClient` chooses the scheme from what the server offers.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from .errors import GraphkitError


@dataclass(frozen=True)
class Challenge:
    """One challenge of a ``WWW-Authenticate`` header: a scheme and its parameters.

    >>> parse_challenges(['Digest realm="SPARQL", nonce="abc", qop="auth", Basic realm="x"'])
    [Challenge(scheme='digest', params={'realm': 'SPARQL', 'nonce': 'abc', 'qop': 'auth'}), Challenge(scheme='basic', params={'realm': 'x'})]
    """

    scheme: str                # lower case: digest, basic, bearer, ...
    params: dict

    def describe(self) -> str:
        realm = self.params.get("realm")
        return f"HTTP {self.scheme.capitalize()}" + (f' (realm "{realm}")' if realm else "")


_CHALLENGE_PART = re.compile(r'\s*(?:([!#$%&\'*+.^_`|~\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)|([!#$%&\'*+.^_`|~\w-]+))\s*,?')


def parse_challenges(values: list[str]) -> list[Challenge]:
    """The challenges of ``WWW-Authenticate`` header values (RFC 9110 section 11.6.1)."""
    challenges: list[Challenge] = []
    for value in values:
        position = 0
        while position < len(value):
            match = _CHALLENGE_PART.match(value, position)
            if not match or match.end() == position:
                break
            position = match.end()
            name, raw, scheme = match.groups()
            if scheme:
                challenges.append(Challenge(scheme.lower(), {}))
            elif challenges:
                if raw.startswith('"'):
                    raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
                challenges[-1].params[name.lower()] = raw
    return challenges


_DIGEST_HASHES = {"md5": hashlib.md5, "sha-256": hashlib.sha256, "sha-512-256": lambda b: hashlib.new("sha512_256", b)}


def digest_authorization(challenge: Challenge, user: str, password: str, method: str, uri: str, count: int,
                         cnonce: str | None = None) -> str:
    """The ``Authorization`` header answering a Digest challenge (RFC 7616: MD5, SHA-256,
    SHA-512-256 and their -sess variants; qop auth, or none as in RFC 2069).

    >>> c = Challenge("digest", {"realm": "testrealm@host.com", "qop": "auth",
    ...               "nonce": "dcd98b7102dd2f0e8b11d0f600bfb0c093", "opaque": "5ccc069c403ebaf9f0171e9517f40e41"})
    >>> 'response="6629fae49393a05397450978507c4ef1"' in digest_authorization(
    ...     c, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1, "0a4f113b")
    True
    """
    params = challenge.params
    algorithm = params.get("algorithm", "MD5")
    base = algorithm.lower().removesuffix("-sess")
    if base not in _DIGEST_HASHES:
        raise GraphkitError(f"the endpoint asks for HTTP Digest with the {algorithm} algorithm, which push does not "
                            f"offer (MD5, SHA-256, SHA-512-256)")

    def h(text: str) -> str:
        return _DIGEST_HASHES[base](text.encode()).hexdigest()

    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    cnonce = cnonce or secrets.token_hex(8)
    ha1 = h(f"{user}:{realm}:{password}")
    if algorithm.lower().endswith("-sess"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
    fields = {"username": user, "realm": realm, "nonce": nonce, "uri": uri, "algorithm": algorithm}
    if "auth" in qops:
        nc = f"{count:08x}"
        fields.update(response=h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"), qop="auth", nc=nc, cnonce=cnonce)
    elif qops:
        raise GraphkitError(f"the endpoint asks for HTTP Digest with qop={params['qop']}, which push does not offer")
    else:
        fields["response"] = h(f"{ha1}:{nonce}:{ha2}")
    if "opaque" in params:
        fields["opaque"] = params["opaque"]
    unquoted = {"algorithm", "qop", "nc"}
    return "Digest " + ", ".join(f'{k}={v}' if k in unquoted else f'{k}="{v}"' for k, v in fields.items())


def asks(challenges: list[Challenge]) -> str:
    """What the server asks for, as people read it."""
    return " or ".join(c.describe() for c in challenges) or "nothing (no WWW-Authenticate challenge)"
