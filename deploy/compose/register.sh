#!/bin/sh
# One-shot, once the key manager is up: put n1..n3 on its allow-list, each
# pinned to its certificate's public key (the key manager serves keys to
# allow-listed nodes only). Idempotent (SetNodePin with the same pin).
set -eu
export TESSERA_ENDPOINT=km1:7300 TESSERA_CERT=/pki/admin/tls.crt TESSERA_KEY=/pki/admin/tls.key TESSERA_CA=/pki/ca/ca.crt
for n in n1 n2 n3; do
  tessera keymanager allow-node --id "$n" --node-cert "/pki/$n/tls.crt"
done
