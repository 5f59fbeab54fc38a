#!/usr/bin/env bash
# Install what the test suite needs, then run it. Safe to run again: each step checks first.
# Usage: bash scripts/test.sh [pytest arguments...]
# Meant for a fresh Debian machine as root; as a normal user it uses sudo for system packages.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "need root to run: $*" >&2
        exit 1
    fi
}

have_initdb() {
    command -v initdb >/dev/null 2>&1 && return 0
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

python_can_make_venvs() {
    command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' >/dev/null 2>&1
}

section "System packages"
apt_packages=()
# PostgreSQL: the tests start their own throw-away server (see tests/conftest.py).
have_initdb || apt_packages+=(postgresql)
if [ ! -x .venv/bin/python ] && ! python_can_make_venvs; then
    apt_packages+=(python3 python3-venv python3-pip)
fi
# A real IMAP server for the e-mail collector tests (the tests start their own Dovecot).
command -v dovecot >/dev/null 2>&1 || apt_packages+=(dovecot-imapd)
# A real browser for the console tests (Playwright drives Debian's Chromium; no browser download).
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
if [ "${#apt_packages[@]}" -gt 0 ]; then
    echo "installing: ${apt_packages[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${apt_packages[@]}"
else
    echo "all present"
fi

section "Python environment (.venv)"
if [ ! -x .venv/bin/python ]; then
    echo "creating .venv"
    python3 -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
python - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f".venv has Python {sys.version.split()[0]}; dengar needs 3.11 or newer")
PY
export PIP_DISABLE_PIP_VERSION_CHECK=1
python -m pip install -q -e ".[test]"
python --version

section "Tests"
status=0
python -m pytest -q "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests; treating that as success"
    status=0
fi
exit "$status"
