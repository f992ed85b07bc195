#!/bin/sh
# One-shot: the cluster CA, certificates for km1, n1..n3 and a cluster admin,
# and the key manager's keyring. Idempotent: an existing CA or keyring is kept.
#
# The CA key stays in the `pki` volume only because this is a demo. In
# production the cluster CA key is kept offline by someone who is not a
# cluster admin (docs/threat-model.md).
set -eu
PKI=/pki
TD=${TESSERA_TRUST_DOMAIN:-compose.tessera.local}

if [ ! -e "$PKI/ca/ca.crt" ]; then
  tessera cert create-ca --dir "$PKI/ca" --trust-domain "$TD"
fi
issue() { # kind id out [dns]
  kind=$1; id=$2; out=$3
  if [ ! -e "$out" ] || [ -z "$(ls -A "$out" 2>/dev/null)" ]; then
    if [ "$kind" = admin ]; then
      tessera cert create-admin --ca "$PKI/ca" --name "$id" --out "$out" --basename tls
    else
      tessera cert "create-$kind" --ca "$PKI/ca" --id "$id" --dns "$id" --out "$out" --basename tls
    fi
  fi
}
issue keymanager km1 "$PKI/km1"
for n in n1 n2 n3; do issue node "$n" "$PKI/$n"; done
issue admin ops "$PKI/admin"

if [ ! -e /keyring/keyring ]; then
  tessera keymanager init --provider file --keyring /keyring/keyring
fi
