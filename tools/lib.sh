# Shared by tools/test, tools/run and tools/bench: install what a fresh Debian
# machine lacks, then build. Sourced, not run.

MILESTONE_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export NODE_PATH=/usr/share/nodejs  # emcc's optimizer loads acorn from here at -O1+

# Debian packages the project needs, by what each is for.
MILESTONE_NATIVE_PACKAGES=(cmake ninja-build g++ pkg-config googletest libgtest-dev libbenchmark-dev
  nlohmann-json3-dev libsqlite3-dev libpq-dev postgresql)
MILESTONE_WASM_PACKAGES=(emscripten)
MILESTONE_BROWSER_PACKAGES=(chromium)

milestone_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs the packages that are missing; apt-get update runs once, only if needed.
milestone_require() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  milestone_log "installing ${missing[*]}"
  local sudo=()
  [[ $(id -u) == 0 ]] || sudo=(sudo)
  if [[ ! -f /var/lib/apt/.milestone-updated ]]; then
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" touch /var/lib/apt/.milestone-updated
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Node 20 and npm: the machine's own when present (it may come from another
# source than Debian, with npm inside the nodejs package), else Debian's.
milestone_require_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  milestone_require nodejs npm
}

# npm dev dependencies (playwright-core, typescript, fast-json-patch), from the lock file.
milestone_npm() {
  cd "$MILESTONE_ROOT"
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    milestone_log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

milestone_build_native() {
  cd "$MILESTONE_ROOT"
  [[ -f build/native/build.ninja ]] || cmake --preset native >/dev/null
  cmake --build --preset native -j2
}

milestone_build_wasm() {
  cd "$MILESTONE_ROOT"
  [[ -f build/wasm/build.ninja ]] || cmake --preset wasm >/dev/null
  cmake --build --preset wasm -j2
}
