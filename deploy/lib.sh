# shellcheck shell=bash
# Helpers shared by the deploy scripts and .ci/run. Source it; it defines functions only.

# Prints a message to stderr and exits 1.
th_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

th_log() {
    printf '==> %s\n' "$*"
}

# True when the Debian package's usual binary is present (not just dpkg's record of it).
th_package_present() {
    case "$1" in
        postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ;;
        rabbitmq-server) [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] ;;
        docker-compose) command -v docker-compose >/dev/null ;;
        openssl | curl | jq) command -v "$1" >/dev/null ;;
        *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
    esac
}

# th_ensure_packages PKG... — installs the missing ones with apt (one apt-get update, only when needed).
th_ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        th_package_present "$pkg" || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ $(id -u) == 0 ]] || th_die "missing packages: ${missing[*]} — install them as root: apt-get update && apt-get install -y ${missing[*]}"
    th_log "installing ${missing[*]} with apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null || th_die "apt-get update failed; check the network to the Debian mirror and retry"
    apt-get install -y -q "${missing[@]}" >/dev/null \
        || th_die "apt-get install ${missing[*]} failed; run it by hand to see why"
    for pkg in "${missing[@]}"; do
        th_package_present "$pkg" || th_die "$pkg was installed but its binary is still missing"
    done
}

th_require_dotnet() {
    command -v dotnet >/dev/null || th_die "the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK first"
    export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# Seconds since the epoch, with fractions (for timings).
th_now() {
    date +%s.%N
}

# th_elapsed START — seconds since START, one decimal.
th_elapsed() {
    awk -v s="$1" -v e="$(th_now)" 'BEGIN { printf "%.1f", e - s }'
}
