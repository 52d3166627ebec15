#!/usr/bin/env bash
# Headless Chromium for the dashboard test (Tests/EddyServerTests/DashboardBrowserTests.swift).
#   chromium.sh start   installs Debian's `chromium` when missing (idempotent) and prints
#                       EDDY_TEST_CHROMIUM=/path/to/chromium
#   chromium.sh stop    nothing to stop: the test starts and ends its own browser processes
set -euo pipefail

find_chromium() {
    local candidate
    for candidate in "${EDDY_TEST_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
        [[ -n "$candidate" && -x "$candidate" ]] && { echo "$candidate"; return 0; }
    done
    return 1
}

case "${1:-}" in
start)
    if ! path="$(find_chromium)"; then
        export DEBIAN_FRONTEND=noninteractive
        sudo_cmd=""
        [[ $(id -u) != 0 ]] && sudo_cmd="sudo -n"
        echo "installing chromium (Debian package)…" >&2
        $sudo_cmd apt-get update -qq >&2
        $sudo_cmd apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
        path="$(find_chromium)" || { echo "chromium was installed but no binary was found" >&2; exit 1; }
    fi
    echo "EDDY_TEST_CHROMIUM=$path"
    ;;
stop)
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
