#!/usr/bin/python3
"""Sign-then-encrypt with python3-jwcrypto (Debian's /usr/bin/python3), as a partner would.

    jwcrypto_seal.py SIGNER_PRIVATE_JWKS SIGNING_KID RECIPIENT_JWKS RECIPIENT_KID HEADER_JSON PAYLOAD_FILE

Signs the exact payload bytes as a compact JWS with the protected header HEADER_JSON (a JSON
object; alg and kid are taken from the signing key), then encrypts the JWS as a compact JWE
(ECDH-ES+A256KW, A256GCM, typ mra+jwe, cty mra+jws) to the recipient's public key. Prints
{"jws": ..., "jwe": ...}; exits 1 with {"error": ...} otherwise.
"""
import json
import sys

from jwcrypto import jwe, jwk, jws
from jwcrypto.common import JWSEHeaderParameter, json_encode

PROFILE_MEMBERS = ["iss", "aud", "iat", "jti", "mra_type", "mra_profile"]


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        signer = jwk.JWKSet.from_json(f.read()).get_key(argv[2])
    with open(argv[3], encoding="utf-8") as f:
        recipient = jwk.JWKSet.from_json(f.read()).get_key(argv[4])
    if signer is None or recipient is None:
        raise ValueError("signing or recipient kid not found")
    with open(argv[5], encoding="utf-8") as f:
        header = json.load(f)
    with open(argv[6], "rb") as f:
        payload = f.read()
    header.update({"alg": signer.get("alg"), "kid": signer.get("kid")})
    registry = {m: JWSEHeaderParameter("MRA profile member", False, True, None) for m in PROFILE_MEMBERS}
    signed = jws.JWS(payload, header_registry=registry)
    signed.allowed_algs = ["EdDSA", "ES256", "PS256"]
    signed.add_signature(signer, protected=json_encode(header))
    compact = signed.serialize(compact=True)
    outer = jwe.JWE(compact.encode("ascii"), protected=json_encode({
        "alg": "ECDH-ES+A256KW", "enc": "A256GCM", "kid": recipient.get("kid"),
        "typ": "mra+jwe", "cty": "mra+jws"}))
    outer.allowed_algs = ["ECDH-ES+A256KW", "A256GCM"]
    outer.add_recipient(recipient)
    print(json.dumps({"jws": compact, "jwe": outer.serialize(compact=True)}))


if __name__ == "__main__":
    try:
        main(sys.argv)
    except Exception as error:  # report any failure
        print(json.dumps({"error": "%s: %s" % (type(error).__name__, error)}))
        sys.exit(1)
