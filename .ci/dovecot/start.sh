#!/usr/bin/env bash
# Starts a private Dovecot (IMAP only, 127.0.0.1) for the integration tests.
#
#   .ci/dovecot/start.sh        # as root; idempotent
#   source "${IMAPSYNC_DOVECOT_DIR:-/tmp/imapsync-dovecot}/env"
#
# Environment:
#   IMAPSYNC_DOVECOT_DIR         state dir (default /tmp/imapsync-dovecot)
#   IMAPSYNC_DOVECOT_IMAP_PORT   plain IMAP + STARTTLS port (default 10143)
#   IMAPSYNC_DOVECOT_IMAPS_PORT  implicit TLS port (default 10993)
#   IMAPSYNC_DOVECOT_OAUTH_PORT  loopback port of the OAuth 2.0 server that the tests run and
#                                Dovecot's oauth2 passdb asks about tokens (default 10180)
#   IMAPSYNC_DOVECOT_RESTART=1   restart even if the running instance is up to date
#   IMAPSYNC_DOVECOT_RESET=1     delete all mail of the test users before starting
#
# Users (password imapsync-test-password):
#   alice@example.test  plain layout, separator "."
#   gmail@example.test  Gmail-like layout under "[Gmail]/", separator "/"
# and, with no password, signing in only with OAuth 2.0 (AUTHENTICATE XOAUTH2 or OAUTHBEARER):
#   oauth@example.test  plain layout; a bearer token is accepted when the OAuth 2.0 server on
#                       127.0.0.1:$IMAPSYNC_DOVECOT_OAUTH_PORT (LocalOAuthServer, started by the
#                       tests themselves) answers its RFC 7662 introspection with
#                       {"active": true, "sub": "oauth@example.test"}; with no server there,
#                       Dovecot answers NO [UNAVAILABLE] (a temporary failure)
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

STATE="${IMAPSYNC_DOVECOT_DIR:-/tmp/imapsync-dovecot}"
IMAP_PORT="${IMAPSYNC_DOVECOT_IMAP_PORT:-10143}"
IMAPS_PORT="${IMAPSYNC_DOVECOT_IMAPS_PORT:-10993}"
OAUTH_PORT="${IMAPSYNC_DOVECOT_OAUTH_PORT:-10180}"
OAUTH_USER="oauth@example.test"
# Dovecot authenticates to the introspection endpoint (RFC 7662 2.1); a test-only credential
OAUTH_INTROSPECTION_AUTH="dovecot:imapsync-introspection"
PASSWORD="imapsync-test-password"
MAIL_USER="imapsync-mail"
START_TIMEOUT=20

CONF="$STATE/dovecot.conf"
USERS="$STATE/users"
OAUTH_USERS="$STATE/oauth-users"
OAUTH_CONF="$STATE/dovecot-oauth2.conf.ext"
BASE_DIR="$STATE/run"
STATE_DIR="$STATE/lib"
LOG="$STATE/dovecot.log"
MAIL_DIR="$STATE/mail"
CERT="$STATE/cert.pem"
KEY="$STATE/key.pem"
PID_FILE="$BASE_DIR/master.pid"
ENV_FILE="$STATE/env"

log() { echo "dovecot/start.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "$(id -u)" == 0 ]] || die "must run as root"
[[ "$IMAP_PORT" =~ ^[0-9]+$ && "$IMAPS_PORT" =~ ^[0-9]+$ && "$OAUTH_PORT" =~ ^[0-9]+$ ]] || die "ports must be numbers"

# --- 1. packages --------------------------------------------------------------
stop_system_dovecot() {
  # The Debian package's own instance must not listen on 143/993: tests expect
  # "connection refused" there.
  if command -v systemctl >/dev/null 2>&1; then
    if [[ -d /run/systemd/system ]]; then
      systemctl disable --now dovecot.socket dovecot.service >/dev/null 2>&1 || true
    else
      # No running systemd: still remove the boot-time links the package made.
      systemctl disable dovecot.socket dovecot.service >/dev/null 2>&1 || true
    fi
  fi
  if [[ -x /etc/init.d/dovecot ]] && command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d dovecot disable >/dev/null 2>&1 || true
  fi
  local pid
  if [[ -s /run/dovecot/master.pid ]]; then
    pid="$(cat /run/dovecot/master.pid)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      log "stopping the system dovecot (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    fi
  fi
}

missing=()
command -v dovecot >/dev/null 2>&1 && [[ -x /usr/lib/dovecot/imap ]] || missing+=(dovecot-imapd)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  # Keep the package's service from starting during the install (invoke-rc.d
  # honours policy-rc.d); only if no policy exists already.
  policy_created=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_created=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if ! apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" </dev/null; then
    apt-get update -q </dev/null
    apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" </dev/null
  fi
  if [[ -n "$policy_created" ]]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
fi
stop_system_dovecot

# --- 2. mail user ---------------------------------------------------------------
if ! getent group "$MAIL_USER" >/dev/null; then
  groupadd --system "$MAIL_USER"
fi
if ! getent passwd "$MAIL_USER" >/dev/null; then
  useradd --system --gid "$MAIL_USER" --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin "$MAIL_USER"
fi
# Dovecot's own unprivileged users (created by dovecot-core).
getent passwd dovecot >/dev/null || die "user 'dovecot' missing (dovecot-core not installed properly?)"
getent passwd dovenull >/dev/null || die "user 'dovenull' missing (dovecot-core not installed properly?)"

# --- 3. state dir and certificate -----------------------------------------------
mkdir -p "$STATE" "$STATE_DIR"
chmod 755 "$STATE"
if [[ "${IMAPSYNC_DOVECOT_RESET:-}" == 1 ]]; then
  log "IMAPSYNC_DOVECOT_RESET=1: stopping the instance and deleting $MAIL_DIR"
  IMAPSYNC_DOVECOT_DIR="$STATE" "$(dirname "${BASH_SOURCE[0]}")/stop.sh"
  rm -rf "$MAIL_DIR"
fi
mkdir -p "$MAIL_DIR"
chown "$MAIL_USER:$MAIL_USER" "$MAIL_DIR"
chmod 700 "$MAIL_DIR"

if [[ ! -s "$CERT" || ! -s "$KEY" ]]; then
  log "creating a self-signed certificate for localhost / 127.0.0.1"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -addext "basicConstraints=critical,CA:FALSE" \
    -addext "keyUsage=critical,digitalSignature" \
    -addext "extendedKeyUsage=serverAuth" \
    -keyout "$KEY.tmp" -out "$CERT.tmp" 2>/dev/null
  mv "$KEY.tmp" "$KEY"
  mv "$CERT.tmp" "$CERT"
fi
chmod 600 "$KEY"
chmod 644 "$CERT"

# --- 4. users and config ----------------------------------------------------------
# passwd-file: user:password:uid:gid:gecos:home:shell:extra_fields
# Extra fields need the userdb_ prefix to reach the userdb (otherwise both
# namespaces stay enabled: "Duplicate namespace prefix").
new_users="$(mktemp "$STATE/.users.XXXXXX")"
cat > "$new_users" <<USERS_EOF
alice@example.test:{PLAIN}$PASSWORD::::::userdb_namespace/gmail/disabled=yes
gmail@example.test:{PLAIN}$PASSWORD::::::userdb_namespace/inbox/disabled=yes
USERS_EOF

# A userdb of its own for the OAuth 2.0 user: it has no password, so it must never be in the
# passwd-file passdb (an empty password field there would let any password in).
new_oauth_users="$(mktemp "$STATE/.oauth-users.XXXXXX")"
cat > "$new_oauth_users" <<USERS_EOF
$OAUTH_USER:::::::userdb_namespace/gmail/disabled=yes
USERS_EOF

# The oauth2 passdb (Dovecot 2.3): every token is sent to the OAuth server's RFC 7662
# introspection endpoint (POST token=...), and accepted when the answer says active and its
# "sub" is the user named in the XOAUTH2 or OAUTHBEARER message.
new_oauth_conf="$(mktemp "$STATE/.oauth2.XXXXXX")"
cat > "$new_oauth_conf" <<OAUTH_EOF
introspection_mode = post
introspection_url = http://$OAUTH_INTROSPECTION_AUTH@127.0.0.1:$OAUTH_PORT/imapsync/introspect
username_attribute = sub
active_attribute = active
active_value = true
timeout_msecs = 5000
OAUTH_EOF

dh_line=""
[[ -s /usr/share/dovecot/dh.pem ]] && dh_line="ssl_dh = </usr/share/dovecot/dh.pem"

new_conf="$(mktemp "$STATE/.conf.XXXXXX")"
cat > "$new_conf" <<CONF_EOF
# Private Dovecot for the imap-sync integration tests (written by .ci/dovecot/start.sh).
instance_name = imapsync-test
base_dir = $BASE_DIR
state_dir = $STATE_DIR
log_path = $LOG
info_log_path = $LOG
debug_log_path = $LOG
log_timestamp = "%Y-%m-%d %H:%M:%S "

listen = 127.0.0.1
protocols = imap
shutdown_clients = yes

ssl = yes
ssl_cert = <$CERT
ssl_key = <$KEY
$dh_line
ssl_min_protocol = TLSv1.2

disable_plaintext_auth = yes
auth_mechanisms = plain login xoauth2 oauthbearer
auth_verbose = yes
auth_username_format = %Lu

# Many tests may connect in parallel as the same user from 127.0.0.1.
mail_max_userip_connections = 100

mail_uid = $MAIL_USER
mail_gid = $MAIL_USER
first_valid_uid = 1
mail_location = maildir:~/Maildir

passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%Lu $USERS
}
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $OAUTH_CONF
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $USERS
  default_fields = home=$MAIL_DIR/%Ld/%Ln
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $OAUTH_USERS
  default_fields = home=$MAIL_DIR/%Ld/%Ln
}

# No auth penalty: Dovecot otherwise delays EVERY following login from the same
# IP (127.0.0.1) by up to 15 s for about 30 s after a failed one, which would make
# tests that use a wrong password slow down unrelated tests. The fixed 2 s delay
# before each "authentication failed" answer (auth_failure_delay) stays.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}

# the end-to-end benchmark's 1,000,000-message folder needs more than the default 256 MB
service imap {
  vsz_limit = 2G
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}

# Plain layout (alice@example.test); disabled for gmail@example.test.
namespace inbox {
  type = private
  separator = .
  prefix =
  inbox = yes
  mailbox Sent {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox Drafts {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox Trash {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \\Archive
    auto = subscribe
  }
}

# Gmail-like layout (gmail@example.test); disabled for alice@example.test.
namespace gmail {
  type = private
  separator = /
  prefix =
  inbox = yes
  mailbox "[Gmail]/All Mail" {
    special_use = \\All
    auto = subscribe
  }
  mailbox "[Gmail]/Sent Mail" {
    special_use = \\Sent
    auto = subscribe
  }
  mailbox "[Gmail]/Important" {
    special_use = \\Important
    auto = subscribe
  }
  mailbox "[Gmail]/Spam" {
    special_use = \\Junk
    auto = subscribe
  }
  mailbox "[Gmail]/Trash" {
    special_use = \\Trash
    auto = subscribe
  }
  mailbox "[Gmail]/Drafts" {
    special_use = \\Drafts
    auto = subscribe
  }
  mailbox "[Gmail]/Starred" {
    special_use = \\Flagged
    auto = subscribe
  }
}
CONF_EOF

changed=""
cmp -s "$new_users" "$USERS" || changed=1
cmp -s "$new_conf" "$CONF" || changed=1
cmp -s "$new_oauth_users" "$OAUTH_USERS" || changed=1
cmp -s "$new_oauth_conf" "$OAUTH_CONF" || changed=1
[[ "${IMAPSYNC_DOVECOT_RESET:-}" == 1 ]] && changed=1   # never keep serving deleted mail dirs
mv -f "$new_users" "$USERS"
mv -f "$new_conf" "$CONF"
mv -f "$new_oauth_users" "$OAUTH_USERS"
mv -f "$new_oauth_conf" "$OAUTH_CONF"
# The auth process (user dovecot) reads the passwd-file.
chown root:dovecot "$USERS"
chmod 640 "$USERS"
chown root:dovecot "$OAUTH_USERS" "$OAUTH_CONF"
chmod 640 "$OAUTH_USERS" "$OAUTH_CONF"
chmod 644 "$CONF"

# --- 5. start (or keep) the instance ---------------------------------------------
running_pid() {
  local pid
  [[ -s "$PID_FILE" ]] || return 1
  pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Make sure the pid really is a dovecot master (pid files can go stale).
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dovecot ]] || return 1
  echo "$pid"
}

imap_greets() {   # plain port: expect "* OK" greeting
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    IFS= read -r -t 4 line <&3 || exit 1
    printf "a LOGOUT\r\n" >&3
    exec 3<&- 3>&-
    [[ "$line" == "* OK"* ]]' _ "$IMAP_PORT" 2>/dev/null
}

imaps_greets() {  # TLS port: handshake, certificate verification, "* OK" greeting
  local out
  out="$(printf 'a LOGOUT\r\n' | timeout 5 openssl s_client -connect "127.0.0.1:$IMAPS_PORT" \
    -servername localhost -CAfile "$CERT" -verify_hostname localhost -verify_return_error \
    -quiet 2>/dev/null)" || true
  [[ "$out" == "* OK"* ]]
}

stop_instance() {
  local pid
  pid="$(running_pid)" || return 0
  log "stopping running instance (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "instance did not stop within 10 s; killing"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}

if pid="$(running_pid)"; then
  if [[ -z "$changed" && "${IMAPSYNC_DOVECOT_RESTART:-}" != 1 ]] && imap_greets && imaps_greets; then
    log "instance already running (pid $pid) with the current config; leaving it"
    started=""
  else
    stop_instance
    started=1
  fi
else
  started=1
fi

if [[ -n "$started" ]]; then
  # Fail early with a readable message if the config is broken.
  if ! doveconf -c "$CONF" -n >/dev/null 2>"$STATE/doveconf.err"; then
    cat "$STATE/doveconf.err" >&2
    die "invalid config $CONF"
  fi
  # Stale sockets of an earlier run (e.g. after a crash or config change) go away.
  rm -rf "$BASE_DIR"
  log "starting dovecot -c $CONF (IMAP+STARTTLS 127.0.0.1:$IMAP_PORT, IMAPS 127.0.0.1:$IMAPS_PORT)"
  log_size=0
  [[ -f "$LOG" ]] && log_size="$(stat -c %s "$LOG")"
  # Readable by non-root test runs, which count auth failures in it.
  touch "$LOG"
  chmod 644 "$LOG"
  # The master keeps stderr open for its lifetime: never hand it our stdout/stderr
  # (a caller reading our output through a pipe would wait forever).
  if ! dovecot -c "$CONF" </dev/null >"$STATE/dovecot.stderr" 2>&1; then
    cat "$STATE/dovecot.stderr" >&2
    [[ -f "$LOG" ]] && tail -c +"$((log_size + 1))" "$LOG" | tail -n 40 >&2
    die "dovecot -c $CONF failed"
  fi
  ok=""
  for _ in $(seq 1 $((START_TIMEOUT * 4))); do
    if imap_greets && imaps_greets; then ok=1; break; fi
    sleep 0.25
  done
  if [[ -z "$ok" ]]; then
    log "dovecot did not answer on 127.0.0.1:$IMAP_PORT and :$IMAPS_PORT within ${START_TIMEOUT}s"
    cat "$STATE/dovecot.stderr" >&2 2>/dev/null || true
    if [[ -f "$LOG" ]]; then
      log "--- tail of $LOG ---"
      tail -c +"$((log_size + 1))" "$LOG" | tail -n 40 >&2
    fi
    die "dovecot failed to start"
  fi
  log "dovecot is up (pid $(running_pid || echo '?'))"
fi

# --- 6. env file for .ci/run ------------------------------------------------------
cat > "$ENV_FILE.tmp" <<ENV_EOF
export IMAPSYNC_TEST_DOVECOT=127.0.0.1:$IMAPS_PORT
export IMAPSYNC_TEST_DOVECOT_STARTTLS_PORT=$IMAP_PORT
export IMAPSYNC_TEST_DOVECOT_CERT=$CERT
export IMAPSYNC_TEST_DOVECOT_LOG=$LOG
export IMAPSYNC_TEST_DOVECOT_PASSWORD=$PASSWORD
export IMAPSYNC_TEST_DOVECOT_OAUTH_PORT=$OAUTH_PORT
ENV_EOF
chmod 644 "$ENV_FILE.tmp"
mv -f "$ENV_FILE.tmp" "$ENV_FILE"
log "wrote $ENV_FILE"
