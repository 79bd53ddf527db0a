#!/usr/bin/env python3
"""Writes a repository of postmortems that quote credentials and
personal data, for the privacy tests.

    python3 tests/privacy_corpus.py OUT_DIR [--seed N]

The credentials are fake but in their exact formats: random bodies behind
the real prefixes and lengths, made at run time so that no working-looking
credential is committed. They sit in front matter, prose, tables and code
blocks. `incidents/lookalikes.md` holds text that looks like a credential
and is not one (git SHAs, UUIDs, base64 images, hashes, long URLs,
documented example keys). OUT_DIR/planted.json lists every planted value
with its rule, file and line, so that a test can look for each in every
output.
"""

import json
import os
import random
import string
import sys

ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
B64 = string.ascii_letters + string.digits + "+/"
URL64 = string.ascii_letters + string.digits + "_-"
DIGITS = string.digits
HEX = "0123456789abcdef"


def formats(r):
    """(rule, credential, how it is written) for every format, twice over."""
    pick = lambda alphabet, n: "".join(r.choice(alphabet) for _ in range(n))
    out = []
    for _ in range(2):
        out += [
            ("aws-access-key-id", "AKIA" + pick(B32, 16), "{}"),
            ("aws-access-key-id", "ASIA" + pick(B32, 16), "AWS_ACCESS_KEY_ID={}"),
            ("aws-secret-access-key", pick(B64, 40), "aws_secret_access_key = {}"),
            ("github-pat", "ghp_" + pick(ALNUM, 36), "{}"),
            ("github-fine-grained-pat", "github_pat_" + pick(ALNUM, 22) + "_" + pick(ALNUM, 59), "{}"),
            ("github-app-token", "ghs_" + pick(ALNUM, 36), "{}"),
            ("github-oauth", "gho_" + pick(ALNUM, 36), "{}"),
            ("gitlab-pat", "glpat-" + pick(URL64, 20), "{}"),
            ("slack-token", "xoxb-" + pick(DIGITS, 12) + "-" + pick(DIGITS, 13) + "-" + pick(ALNUM, 24), "{}"),
            ("slack-webhook-url",
             "https://hooks.slack.com/services/T" + pick(string.ascii_uppercase + DIGITS, 10)
             + "/B" + pick(string.ascii_uppercase + DIGITS, 10) + "/" + pick(ALNUM, 24), "{}"),
            ("stripe-live-key", "sk_live_" + pick(ALNUM, 24), "{}"),
            ("stripe-live-key", "rk_live_" + pick(ALNUM, 34), "STRIPE_KEY={}"),
            ("google-api-key", "AIza" + pick(URL64, 35), "{}"),
            ("npm-token", "npm_" + pick(ALNUM, 36), "//registry.npmjs.org/:_authToken={}"),
            ("jwt", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + pick(URL64, 46) + "." + pick(URL64, 43), "Authorization: Bearer {}"),
            ("url-password", pick(string.ascii_lowercase + DIGITS, 16), "postgres://app:{}@db-primary.internal:5432/orders"),
            ("generic-assignment", pick(ALNUM, 10) + "#" + pick(ALNUM, 10), 'api_key: "{}"'),
            ("generic-assignment", pick(ALNUM, 28), "client_secret={}"),
        ]
    return out


def private_keys(r):
    body = lambda: "\n".join("".join(r.choice(B64) for _ in range(64)) for _ in range(4))
    keys = []
    for kind in ["RSA ", "EC ", "OPENSSH ", ""]:
        keys.append((f"-----BEGIN {kind}PRIVATE KEY-----", f"-----BEGIN {kind}PRIVATE KEY-----\n{body()}\n-----END {kind}PRIVATE KEY-----"))
    keys.append(("-----BEGIN PGP PRIVATE KEY BLOCK-----",
                 f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{body()}\n-----END PGP PRIVATE KEY BLOCK-----"))
    return keys


FRONT = """---
id: {id}
title: {title}
status: draft
severity: SEV2
started_at: 2026-11-{day:02d}T10:00:00Z
{extra}---

"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out = args[0]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 2026
    r = random.Random(seed)
    planted = []
    places = ["front", "prose", "table", "code"]
    for n, (rule, secret, how) in enumerate(formats(r)):
        place = places[n % len(places)]
        quoted = how.format(secret)
        extra, body = "", ""
        if place == "front":
            extra = "root_cause: '" + quoted.replace("'", "''") + "'\n"
            body = "The deploy job failed.\n"
        elif place == "prose":
            body = f"The deploy job printed {quoted} into its log.\n"
        elif place == "table":
            body = f"| what | value |\n|---|---|\n| leaked | `{quoted}` |\n"
        else:
            body = f"```\n{quoted}\n```\n"
        rel = f"incidents/leak-{n:02d}.md"
        text = FRONT.format(id=f"LEAK-{n:02d}", title=f"Leak {n}", day=n % 28 + 1, extra=extra) + body
        line = next(i for i, l in enumerate(text.split("\n"), 1) if secret in l)
        write(os.path.join(out, rel), text)
        planted.append({"rule": rule, "secret": secret, "file": rel, "line": line, "place": place})
    for n, (first, block) in enumerate(private_keys(r)):
        rel = f"incidents/key-{n}.md"
        text = FRONT.format(id=f"KEY-{n}", title=f"Key {n}", day=n + 1, extra="") + f"```\n{block}\n```\n"
        line = text.split("\n").index(first) + 1
        write(os.path.join(out, rel), text)
        # Each line of the key body must stay out of every output.
        for part in block.split("\n")[1:-1]:
            if len(part) >= 16:
                planted.append({"rule": "private-key", "secret": part, "file": rel, "line": line, "place": "code"})
    write(os.path.join(out, "incidents/lookalikes.md"), FRONT.format(
        id="LOOK", title="Look-alikes", day=1, extra="") + LOOKALIKES)
    write(os.path.join(out, "planted.json"), json.dumps(planted, indent=1) + "\n")


LOOKALIKES = """Fixed in 3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345 (short 9b2e4c1) and
merged as e83c5163316f89bfbde7d9ab23ca2e25604af290.

| request | trace |
|---|---|
| 1b4e28ba-2fa1-11d2-883f-0016d3cca427 | 4bf92f3577b34da6a3ce929d0e0e4736 |

```
image: registry.internal/checkout@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
integrity: sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
GITHUB_TOKEN=${GITHUB_TOKEN}
password: <your-password-here>
DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal/app
token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
```

![pixel](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)

Dashboard: https://grafana.internal/d/abc123/checkout?orgId=1&from=now-6h&to=now&var-env=prod&var-svc=checkout-api&refresh=30s

The token expired at 10:02 and the password rotation job retried; the
session cookie was rotated. Contact oncall@example.com. The internal load
balancer 10.0.3.17 forwarded to 192.168.1.1; the docs use 203.0.113.9.
Upgraded to v1.2.3.4. Stripe's test card 4242 4242 4242 4242 was used.
"""


if __name__ == "__main__":
    main()
