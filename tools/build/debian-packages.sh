#!/usr/bin/env bash
# Installs, from Debian's packages, what the build needs beyond Java and Maven, when it is absent:
#   fonts-noto-cjk  the label font that custody-cli copies into custody.jar (custody-cli/pom.xml, custody.cjk.font.*);
#                   without it the build stops at its enforcer rule, it never falls back to another font
#   poppler-utils   pdffonts, pdftotext and pdftoppm, which LabelPdfFontsTest runs on a real label PDF
#   tmux            the real pseudo-terminal on which StationTmuxTest runs 'custody station' (send-keys, capture-pane)
#   postgresql      the database the PostgreSQL store's tests run against (started by tools/build/test-postgres.sh)
#   softhsm2        a software PKCS#11 token (libsofthsm2.so, softhsm2-util) on which TokenKeyCliTest signs with a token key
#   opensc          pkcs11-tool, which makes the test tokens' keys on the token, as an officer's token vendor tool would
#   chromium        the real browser that the console's end-to-end tests drive (custody-server ConsoleBrowserTest)
#   openssl         'openssl ts -verify', with which TimestampVectorsTest cross-checks the RFC 3161 time-stamp vector
#   nodejs npm      run playwright-core (npm ci from custody-server/src/test/browser's lock file), which drives chromium
# Run as root or with sudo; .ci/run runs it before the build. Nothing to do, nothing done.
set -euo pipefail

need=()
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
for tool in pdffonts pdftotext pdftoppm; do
    if ! command -v "$tool" >/dev/null; then
        need+=(poppler-utils)
        break
    fi
done
command -v tmux >/dev/null || need+=(tmux)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
{ [ -f /usr/lib/softhsm/libsofthsm2.so ] && command -v softhsm2-util >/dev/null; } || need+=(softhsm2)
command -v pkcs11-tool >/dev/null || need+=(opensc)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v openssl >/dev/null || need+=(openssl)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "error: the build needs ${need[*]} (Debian package names) and this machine has no apt-get: install them" >&2
    exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
fi
echo "installing ${need[*]} (Debian packages the build needs)"
"${sudo[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"
