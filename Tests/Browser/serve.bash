# Sourced by Tests/Browser/run and Benchmarks/browser/run (bash, from the repository root):
#
#   serve BINARY LOG      starts the playground on a free loopback port with the committed book,
#                         sets $server (its pid) and $url, and stops it when the shell exits.
#
# The wait for the URL is a watchdog (two minutes), not a time limit: it ends as soon as the
# server prints its address, or at once when the server dies.
serve() {
    local binary="$1" log="$2"
    "$binary" --host 127.0.0.1 --port 0 --book output > "$log" 2>&1 &
    server=$!
    trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
    url=""
    for _ in $(seq 1 1200); do
        url=$(sed -n 's/^Descent playground: \(http:[^ ]*\).*/\1/p' "$log" | head -1)
        [ -n "$url" ] && break
        kill -0 "$server" 2>/dev/null || { cat "$log" >&2; echo "the playground did not start" >&2; exit 1; }
        sleep 0.1
    done
    [ -n "$url" ] || { cat "$log" >&2; echo "the playground did not print its URL" >&2; exit 1; }
    case "$url" in http://127.0.0.1:*) ;; *) echo "not on loopback: $url" >&2; exit 1 ;; esac
}
