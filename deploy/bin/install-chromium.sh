#!/usr/bin/env bash
# Installs Debian's Chromium and ChromeDriver for the console's browser test, if missing.
# Called by the build before the integration tests; never downloads a browser from elsewhere.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
  SUDO=""
elif command -v sudo >/dev/null; then
  SUDO="sudo -n"
else
  echo "install-chromium: need root or sudo to install Debian's chromium and chromium-driver" >&2
  exit 1
fi
echo "install-chromium: installing Debian's chromium and chromium-driver" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
test -x /usr/bin/chromium && test -x /usr/bin/chromedriver
