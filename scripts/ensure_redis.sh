#!/usr/bin/env bash
# Make sure Redis answers on 127.0.0.1:6379 (for the REDIS_URL cache tests); start or install it.
set -euo pipefail
up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if up; then exit 0; fi
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Redis (apt-get)…"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq redis-server >/dev/null
  else
    echo "Redis is not installed and cannot be installed here." >&2
    exit 1
  fi
fi
echo "Starting Redis…"
mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir /tmp --logfile /tmp/govportal-redis.log
for _ in $(seq 1 20); do
  if up; then exit 0; fi
  sleep 0.5
done
echo "Redis did not come up on 127.0.0.1:6379." >&2
exit 1
