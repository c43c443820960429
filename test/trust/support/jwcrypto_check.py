#!/usr/bin/python3
"""Independent JOSE check with python3-jwcrypto (Debian's /usr/bin/python3, not pyenv).

    jwcrypto_check.py JWKS_FILE TOKEN_FILE [RECIPIENT_PRIVATE_JWKS_FILE]

Verifies a compact JWS from `mra sign` using only the JWKS printed by `mra jwks`. A compact
JWE is first decrypted with the recipient's private key (a partner's test key). The MRA
profile's critical header members are registered as understood, as any conforming verifier
of the profile must do (with MRA_JWCRYPTO_IGNORE_PROFILE=1 they are not, to show that a
verifier unaware of the profile must refuse). Prints {"valid": true, "header": ...,
"payload": ...}; exits 1 with {"valid": false, "error": ...} otherwise.
"""
import json
import os
import sys

from jwcrypto import jwe, jwk, jws
from jwcrypto.common import JWSEHeaderParameter

PROFILE_MEMBERS = ["iss", "aud", "iat", "jti", "mra_type", "mra_profile"]
ALGORITHMS = ["EdDSA", "ES256", "PS256"]


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        keyset = jwk.JWKSet.from_json(f.read())
    with open(argv[2], encoding="ascii") as f:
        token = f.read().strip()
    result = {}
    if token.count(".") == 4:
        with open(argv[3], encoding="utf-8") as f:
            recipient = jwk.JWKSet.from_json(f.read())
        envelope = jwe.JWE()
        envelope.allowed_algs = ["ECDH-ES+A256KW", "A256GCM"]
        envelope.deserialize(token)
        envelope.decrypt(recipient.get_key(envelope.jose_header["kid"]))
        result["jwe"] = envelope.jose_header
        token = envelope.payload.decode("ascii")
    understood = os.environ.get("MRA_JWCRYPTO_IGNORE_PROFILE") != "1"
    registry = {m: JWSEHeaderParameter("MRA profile member", False, True, None) for m in PROFILE_MEMBERS} if understood else None
    signed = jws.JWS(header_registry=registry)
    signed.allowed_algs = ALGORITHMS
    signed.deserialize(token)
    header = signed.jose_header
    key = keyset.get_key(header["kid"])
    if key is None:
        raise ValueError("kid %s is not in the JWKS" % header["kid"])
    signed.verify(key)
    result.update({"valid": True, "header": header, "payload": signed.payload.decode("utf-8")})
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Exception as error:  # report any failure as a refusal
        print(json.dumps({"valid": False, "error": "%s: %s" % (type(error).__name__, error)}))
        sys.exit(1)
