#!/usr/bin/env bash
# A private RabbitMQ node for the recorder (scripts/record-rabbitmq.ts): bound to 127.0.0.1 only,
# with its own node name, port, data directory, cookie and no plugins, so it neither meets nor
# disturbs any other node on the machine (epmd is shared, and left running).
#
#   scripts/rabbitmq-local.sh start DIR [PORT] [NAME]   start a fresh node, return once it has booted
#   scripts/rabbitmq-local.sh stop DIR [PORT] [NAME]    stop it (only this node) and wait until it has exited
#
# Uses Debian's rabbitmq-server (3.10.8 here). Environment variables as RabbitMQ documents them.
set -euo pipefail

cmd=${1:?start or stop}
dir=${2:?a data directory}
port=${3:-5674}
name=${4:-faultline-rec@localhost}

sbin=""
for d in /usr/lib/rabbitmq/bin /usr/lib/rabbitmq/sbin /usr/sbin; do
  if [ -x "$d/rabbitmq-server" ] && [ -x "$d/rabbitmqctl" ]; then sbin=$d; break; fi
done
if [ -z "$sbin" ]; then
  echo "rabbitmq-local: no rabbitmq-server found (apt-get install rabbitmq-server)" >&2
  exit 1
fi

export HOME="$dir/home"
export RABBITMQ_NODENAME="$name"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$port"
export RABBITMQ_DIST_PORT=$((port + 20000))
export RABBITMQ_MNESIA_BASE="$dir/mnesia"
export RABBITMQ_LOG_BASE="$dir/log"
export RABBITMQ_PID_FILE="$dir/node.pid"
export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
export RABBITMQ_PLUGINS_EXPAND_DIR="$dir/plugins-expand"
export RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
export RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf"
export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
export ERL_EPMD_ADDRESS=127.0.0.1
# The distribution port on the loopback too.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

case "$cmd" in
  start)
    mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
    echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
    : >"$RABBITMQ_CONF_ENV_FILE"
    # Listen on the loopback only (the guest user may connect from there, as by default).
    printf 'listeners.tcp.1 = 127.0.0.1:%s\n' "$port" >"$RABBITMQ_CONFIG_FILE.conf"
    if [ ! -f "$HOME/.erlang.cookie" ]; then
      head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$HOME/.erlang.cookie"
      chmod 400 "$HOME/.erlang.cookie"
    fi
    "$sbin/rabbitmq-server" >"$dir/server.out" 2>&1 &
    echo $! >"$dir/launcher.pid"
    # Wait until the node has fully booted (quorum queues need it).
    "$sbin/rabbitmqctl" -n "$name" -q --timeout 120 wait "$RABBITMQ_PID_FILE" >/dev/null
    "$sbin/rabbitmqctl" -n "$name" -q --timeout 120 await_startup >/dev/null
    ;;
  stop)
    # With the pid file, rabbitmqctl waits until the node's process has exited.
    if [ -f "$RABBITMQ_PID_FILE" ]; then
      "$sbin/rabbitmqctl" -n "$name" -q stop "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || true
    else
      "$sbin/rabbitmqctl" -n "$name" -q stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT] [NAME]" >&2
    exit 2
    ;;
esac
