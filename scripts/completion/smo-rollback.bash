# bash completion for smo-rollback: flags, subcommands, environment names
# (the objects under "deploy" in the nearest .smorch/project.json) and tags.
# Installed by `cmake --install` into share/bash-completion/completions.

_smo_rollback_project_json() {
    local dir=$PWD i
    for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
        if [[ ${COMP_WORDS[i]} == --project-dir && -n ${COMP_WORDS[i + 1]} ]]; then
            dir=${COMP_WORDS[i + 1]}
        fi
    done
    while [[ -n $dir ]]; do
        if [[ -f $dir/.smorch/project.json ]]; then
            printf '%s\n' "$dir/.smorch/project.json"
            return
        fi
        [[ $dir == / ]] && return
        dir=$(dirname -- "$dir")
    done
}

_smo_rollback_envs() {
    local file
    file=$(_smo_rollback_project_json)
    [[ -n $file ]] || return
    if command -v python3 >/dev/null 2>&1; then
        python3 - "$file" 2>/dev/null <<'PY'
import json, sys
deploy = json.load(open(sys.argv[1])).get("deploy", {})
print("\n".join(k for k, v in deploy.items() if isinstance(v, dict)))
PY
    elif command -v node >/dev/null 2>&1; then
        node -e 'const d=(require(process.argv[1]).deploy)||{};
                 for (const [k,v] of Object.entries(d)) if (v && typeof v==="object" && !Array.isArray(v)) console.log(k)' \
            "$file" 2>/dev/null
    fi
}

_smo_rollback() {
    local cur prev words cword
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    local subcommands="status list prepare"
    local common="-h --env --json --project-dir -v --verbose -q --quiet --no-color --help"
    local rollback="--to --dry-run --plan --auto --yes --triggered-by --incident --notify
                    --accept-new-host-key --break-lock --version"
    local sub="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        status | list | prepare) sub=${COMP_WORDS[i]} ;;
        esac
    done
    case $prev in
    --env)
        mapfile -t COMPREPLY < <(compgen -W "$(_smo_rollback_envs)" -- "$cur")
        return
        ;;
    --to)
        mapfile -t COMPREPLY < <(compgen -W "$(git tag --sort=-creatordate 2>/dev/null)" -- "$cur")
        return
        ;;
    --project-dir)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return
        ;;
    --incident)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
        ;;
    --triggered-by)
        return
        ;;
    esac
    local words_now
    case $sub in
    status) words_now="$common --accept-new-host-key" ;;
    list) words_now="$common" ;;
    prepare) words_now="$common --to --accept-new-host-key" ;;
    *) words_now="$common $rollback $subcommands" ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$words_now" -- "$cur")
}

complete -F _smo_rollback smo-rollback
