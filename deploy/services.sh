# shellcheck shell=bash
# The one table of the local stack: infrastructure ports, services, their ports, databases and settings.
# Sourced by deploy/up.sh and deploy/down.sh after TH_ROOT (absolute repo root) is set.
# shellcheck disable=SC2034 # the variables are used by the scripts that source this file

: "${TH_ROOT:?TH_ROOT must be set to the repository root before sourcing deploy/services.sh}"

TH_RUN="$TH_ROOT/.run"
TH_PG_DIR="$TH_RUN/pg"
TH_PG_PORT=55432
TH_RMQ_DIR="$TH_RUN/rabbitmq"
TH_RMQ_PORT=55672
TH_RMQ_MGMT_PORT=55673
TH_RMQ_EPMD_PORT=55674
TH_RMQ_DIST_PORT=55675
TH_KEYS="$TH_RUN/keys"
TH_LOGS="$TH_RUN/logs"
TH_PIDS="$TH_RUN/pids"
GATEWAY_PORT=${GATEWAY_PORT:-8080}

# External infrastructure instead of the private instances (up.sh then neither starts nor stops them):
#   TH_PG_CONNECTION="Host=db.example;Port=5432;Username=transferhub;Password=…"  (each service adds ;Database=th_<name>;
#                     the user needs CREATE DATABASE, or create the th_* databases beforehand)
#   TH_RABBITMQ_HOST, TH_RABBITMQ_PORT (5672), TH_RABBITMQ_USER, TH_RABBITMQ_PASSWORD, TH_RABBITMQ_VHOST (/)
TH_PG_CONNECTION=${TH_PG_CONNECTION:-}
TH_RABBITMQ_HOST=${TH_RABBITMQ_HOST:-}

# Start order; the gateway is last (it is ready only when every service behind it is).
TH_SERVICES=(identity listing matchmaking registration experts web gateway)

declare -A TH_PROJECT=(
    [identity]=services/identity/TransferHub.Identity.Api
    [listing]=services/listing/TransferHub.Listing.Api
    [matchmaking]=services/matchmaking/TransferHub.Matchmaking.Api
    [registration]=services/registration/TransferHub.Registration.Api
    [experts]=services/experts/TransferHub.Experts.Api
    [web]=services/web/TransferHub.Web
    [gateway]=gateway/TransferHub.Gateway
)

declare -A TH_PORT=(
    [identity]=5101
    [listing]=5102
    [matchmaking]=5103
    [registration]=5104
    [experts]=5105
    [web]=5106
    [gateway]=$GATEWAY_PORT
)

# Services without an entry have no database.
declare -A TH_DB=(
    [identity]=th_identity
    [listing]=th_listing
    [matchmaking]=th_matchmaking
    [registration]=th_registration
    [experts]=th_experts
)

# Absolute path of a service's Release dll.
th_service_dll() {
    local project=${TH_PROJECT[$1]}
    printf '%s/%s/bin/Release/net10.0/%s.dll\n' "$TH_ROOT" "$project" "$(basename "$project")"
}

# A service's environment, one KEY=VALUE a line.
th_service_env() {
    local name=$1 cluster
    echo "ASPNETCORE_URLS=http://127.0.0.1:${TH_PORT[$name]}"
    echo "ASPNETCORE_ENVIRONMENT=Development"
    echo "Auth__Issuer=transferhub-identity"
    echo "Auth__Audience=transferhub"
    echo "Auth__PublicKeyFile=$TH_KEYS/jwt-public.pem"
    if [[ $name == web ]]; then
        echo "Gateway__BaseUrl=http://127.0.0.1:$GATEWAY_PORT"
        return
    fi
    if [[ -n $TH_RABBITMQ_HOST ]]; then
        echo "RabbitMQ__Host=$TH_RABBITMQ_HOST"
        echo "RabbitMQ__Port=${TH_RABBITMQ_PORT:-5672}"
        echo "RabbitMQ__Username=${TH_RABBITMQ_USER:-guest}"
        echo "RabbitMQ__Password=${TH_RABBITMQ_PASSWORD:-guest}"
        echo "RabbitMQ__VirtualHost=${TH_RABBITMQ_VHOST:-/}"
    else
        echo "RabbitMQ__Host=127.0.0.1"
        echo "RabbitMQ__Port=$TH_RMQ_PORT"
        echo "RabbitMQ__Username=guest"
        echo "RabbitMQ__Password=guest"
    fi
    if [[ -n ${TH_DB[$name]:-} ]]; then
        if [[ -n $TH_PG_CONNECTION ]]; then
            echo "ConnectionStrings__Database=${TH_PG_CONNECTION%;};Database=${TH_DB[$name]}"
        else
            echo "ConnectionStrings__Database=Host=127.0.0.1;Port=$TH_PG_PORT;Username=postgres;Database=${TH_DB[$name]}"
        fi
    fi
    case "$name" in
        identity)
            echo "Auth__SigningKeyFile=$TH_KEYS/jwt-private.pem"
            echo "Seed__DemoData=true"
            echo "Seed__DemoAccountsFile=$TH_ROOT/seeds/demo-accounts.json"
            echo "Seed__DemoStationOfficersFile=$TH_ROOT/seeds/demo-station-officers.json"
            ;;
        listing)
            echo "Listing__Attachments__Root=$TH_RUN/attachments"
            echo "Listing__Search__IndexPath=$TH_RUN/search"
            ;;
        registration)
            echo "Registration__StationKeyDirectory=$TH_RUN/station-keys"
            echo "Registration__DocumentRoot=$TH_RUN/documents"
            echo "Registration__PublicBaseUrl=http://127.0.0.1:${TH_PORT[gateway]}"
            ;;
        gateway)
            for cluster in identity listing matchmaking registration experts web; do
                echo "ReverseProxy__Clusters__${cluster}__Destinations__primary__Address=http://127.0.0.1:${TH_PORT[$cluster]}/"
            done
            ;;
    esac
}

# The private PostgreSQL and RabbitMQ of the local stack (nothing to do when external ones are configured).
th_pg() {
    if [[ -n $TH_PG_CONNECTION ]]; then
        echo "postgres: external (TH_PG_CONNECTION); not managed here"
        return 0
    fi
    PG_DIR="$TH_PG_DIR" PG_PORT="$TH_PG_PORT" bash "$TH_ROOT/deploy/infra/postgres.sh" "$@"
}

th_rmq() {
    if [[ -n $TH_RABBITMQ_HOST ]]; then
        echo "rabbitmq: external ($TH_RABBITMQ_HOST); not managed here"
        return 0
    fi
    RMQ_DIR="$TH_RMQ_DIR" RMQ_PORT="$TH_RMQ_PORT" RMQ_MGMT_PORT="$TH_RMQ_MGMT_PORT" \
        RMQ_EPMD_PORT="$TH_RMQ_EPMD_PORT" RMQ_DIST_PORT="$TH_RMQ_DIST_PORT" \
        bash "$TH_ROOT/deploy/infra/rabbitmq.sh" "$@"
}

# The pid recorded for a service when that process is still the service's dotnet; empty otherwise.
th_service_pid() {
    local file="$TH_PIDS/$1.pid" pid
    [[ -f $file ]] || return 0
    pid=$(<"$file")
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$(basename "$(th_service_dll "$1")")"; then
        echo "$pid"
    fi
}

# th_stop_pid PID NAME — TERM, up to 10 s, then KILL.
th_stop_pid() {
    local pid=$1 name=$2 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    echo "$name: pid $pid still running after 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}
