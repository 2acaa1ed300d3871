#!/usr/bin/env bash
# Seeds the demo technologies through the gateway: the first demo institution member creates and submits them,
# the demo platform admin approves them (moderation), so they are published.
# Usage: deploy/seed-demo.sh [GATEWAY_URL]   (default http://127.0.0.1:${GATEWAY_PORT:-8080})
# Re-runnable: Idempotency-Key demo-<n> returns the same technology; published ones are left as they are.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$root/deploy/lib.sh"

base=${1:-http://127.0.0.1:${GATEWAY_PORT:-8080}}
base=${base%/}
accounts="$root/seeds/demo-accounts.json"
technologies="$root/seeds/demo-technologies.json"

if [[ ! -f $technologies ]]; then
    echo "seed: $technologies does not exist; no demo technologies to seed"
    exit 0
fi
[[ -f $accounts ]] || th_die "$accounts is missing; restore it from git (git checkout seeds/demo-accounts.json)"
th_ensure_packages jq curl

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

status=
# request METHOD PATH [BODY [HEADER...]] — sets $status; the response body is in $tmp.
request() {
    local method=$1 path=$2 body=${3:-} args=()
    shift $(($# < 3 ? $# : 3))
    local header
    for header in "$@"; do
        args+=(-H "$header")
    done
    if [[ -n ${token:-} ]]; then
        args+=(-H "Authorization: Bearer $token")
    fi
    if [[ -n $body ]]; then
        args+=(-H 'Content-Type: application/json' --data-binary "$body")
    fi
    status=$(curl -sS -m 30 -o "$tmp" -w '%{http_code}' -X "$method" "${args[@]}" "$base$path") \
        || th_die "$method $base$path failed (is the gateway up? try deploy/up.sh)"
}

# login ROLE — sets $token to an access token of the first demo account with ROLE.
login() {
    local role=$1 email password body
    email=$(jq -r --arg r "$role" '[.[] | select(.role == $r)][0].email // empty' "$accounts")
    password=$(jq -r --arg r "$role" '[.[] | select(.role == $r)][0].password // empty' "$accounts")
    [[ -n $email && -n $password ]] || th_die "$accounts has no $role account"
    body=$(jq -cn --arg e "$email" --arg p "$password" '{email: $e, password: $p}')
    token=
    request POST /api/identity/login "$body"
    [[ $status == 200 ]] || th_die "login as $email answered $status: $(head -c 400 "$tmp"); check the identity service log (.run/logs/identity.log)"
    token=$(jq -r '.accessToken // empty' "$tmp")
    [[ -n $token ]] || th_die "login as $email returned no accessToken: $(head -c 400 "$tmp")"
    echo "seed: logged in as $email"
}

# as ROLE METHOD PATH [BODY [HEADER...]] — with ROLE's token; logs in again once on 401 (expired token).
declare -A tokens=()
as() {
    local role=$1
    shift
    if [[ -z ${tokens[$role]:-} ]]; then
        login "$role"
        tokens[$role]=$token
    fi
    token=${tokens[$role]}
    request "$@"
    if [[ $status == 401 ]]; then
        login "$role"
        tokens[$role]=$token
        request "$@"
    fi
}

count=$(jq 'length' "$technologies") || th_die "$technologies is not valid JSON"
published=0 unchanged=0 changed=0
for ((i = 0; i < count; i++)); do
    n=$((i + 1))
    item=$(jq -c ".[$i]" "$technologies")
    title=$(jq -r '.title // "(untitled)"' <<<"$item")
    as institution-member POST /api/listings/technologies "$item" "Idempotency-Key: demo-$n"
    case "$status" in
        200 | 201) ;;
        409)
            echo "seeding $n/$count: $title — changed since it was seeded (Idempotency-Key demo-$n holds the old body); left as it is"
            changed=$((changed + 1))
            continue
            ;;
        *) th_die "seeding $n/$count: POST /api/listings/technologies answered $status: $(head -c 600 "$tmp")" ;;
    esac
    id=$(jq -r '.id // empty' "$tmp")
    state=$(jq -r '.status // empty' "$tmp")
    [[ -n $id ]] || th_die "seeding $n/$count: the create response has no id: $(head -c 400 "$tmp")"
    if [[ $state == draft || $state == returned ]]; then
        as institution-member POST "/api/listings/technologies/$id/submit"
        [[ $status == 200 ]] || th_die "seeding $n/$count: submit $id answered $status: $(head -c 600 "$tmp")"
        state=submitted
    fi
    if [[ $state == submitted ]]; then
        as platform-admin POST "/api/listings/technologies/$id/approve"
        [[ $status == 200 ]] || th_die "seeding $n/$count: approve $id answered $status: $(head -c 600 "$tmp")"
        echo "seeding $n/$count: $title — published"
        published=$((published + 1))
    else
        echo "seeding $n/$count: $title — already $state"
        unchanged=$((unchanged + 1))
    fi
done
echo "seed: $count technologies — $published published now, $unchanged already there, $changed changed since seeded"
