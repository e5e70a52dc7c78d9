#!/usr/bin/env bash
# The monitoring files (infra/monitoring/): promtool checks the alert rules, runs their unit tests and parses every
# PromQL expression of the Grafana dashboard. Installs promtool (Debian's `prometheus` package) when it is missing;
# the install is time-boxed so that a missing or slow apt fails CI with a message instead of hanging it.
set -euo pipefail
cd "$(dirname "$0")/.."
INSTALL_TIMEOUT="${PROMTOOL_INSTALL_TIMEOUT:-300}"

install_promtool() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "promtool is not installed and this is not root: install Debian's 'prometheus' package (it has promtool)" >&2
    return 1
  fi
  command -v apt-get >/dev/null || { echo "promtool is not installed and there is no apt-get to install it" >&2; return 1; }
  echo "promtool not found: installing Debian's 'prometheus' package (at most ${INSTALL_TIMEOUT}s)"
  # The package's post-install would start a Prometheus server; CI wants only the binary.
  local policy=/usr/sbin/policy-rc.d added_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && added_policy=yes
  fi
  local status=0 log
  log="$(mktemp)"
  export DEBIAN_FRONTEND=noninteractive
  {
    timeout "$INSTALL_TIMEOUT" apt-get -o DPkg::Lock::Timeout=60 install -y -q --no-install-recommends prometheus \
      || { timeout "$INSTALL_TIMEOUT" apt-get -o DPkg::Lock::Timeout=60 update -q \
           && timeout "$INSTALL_TIMEOUT" apt-get -o DPkg::Lock::Timeout=60 install -y -q --no-install-recommends prometheus; }
  } </dev/null >"$log" 2>&1 || status=$?
  if [ -n "$added_policy" ]; then rm -f "$policy"; fi
  if [ "$status" -ne 0 ] || ! command -v promtool >/dev/null; then
    echo "could not install promtool (apt-get exit $status; 124 = timed out after ${INSTALL_TIMEOUT}s). Last lines:" >&2
    tail -n 15 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}

command -v promtool >/dev/null || install_promtool || {
  echo "error: promtool is needed to check infra/monitoring/alerts.yml" >&2
  exit 1
}

promtool check rules infra/monitoring/alerts.yml
promtool test rules infra/monitoring/alerts-test.yml

# Every PromQL expression of the dashboard, as recording rules, through the same parser.
if command -v python3 >/dev/null; then
  rules="$(mktemp --suffix=.yml)"
  python3 .ci/dashboard-expressions.py infra/monitoring/dashboard.json > "$rules"
  echo "Dashboard expressions:"
  promtool check rules "$rules"
  rm -f "$rules"
else
  echo "python3 not found: the dashboard's PromQL expressions were not parsed (MonitoringContractTest still checks their metric names)"
fi
