# Shared by scripts/run and scripts/test: find the tree, install what is
# missing (Debian/Ubuntu, apt; sudo only when not root), configure and build.
# Sourced, not executed.

TRIBUTARY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# ccache hashes paths relative to the tree, so another clone reuses the cache.
export CCACHE_BASEDIR="$TRIBUTARY_ROOT"

# What building needs.
BUILD_PACKAGES=(cmake ninja-build g++ pkg-config libuv1-dev libssl-dev
  qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  linguist-qt6 libgl-dev libqt6svg6 ccache)
# What the tests start or use: real servers and peers on loopback (TESTING.md),
# a display with a tray host, clang for the sanitizer and fuzz builds.
TEST_PACKAGES=(xvfb xauth trayer nginx-light opentracker python3-libtorrent
  transmission-daemon transmission-cli aria2 mktorrent clang-14 libclang-rt-14-dev
  valgrind imagemagick iproute2 procps curl openssl)

say() { printf '==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    say "need root to run: $* (install sudo or run as root)"
    return 1
  fi
}

# ensure_packages PKG... : installs only the ones dpkg does not know as installed.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing packages: ${missing[*]} (no apt-get here: install them by hand)"
    return 1
  fi
  say "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

jobs_count() { nproc 2>/dev/null || echo 2; }

# configure_and_build BUILD_DIR [cmake -D options...]: configures once (or when
# the options change), then builds incrementally.
configure_and_build() {
  configure_tree "$@"
  say "building $1"
  cmake --build "$1" -j "$(jobs_count)"
}

# configure_tree BUILD_DIR [cmake -D options...]: configures once (or when the
# options change); builds nothing.
configure_tree() {
  local dir=$1
  shift
  local stamp="$dir/.tributary-configure-args" args="$*"
  if [ ! -f "$dir/build.ninja" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$args" ]; then
    say "configuring $dir"
    # New options (a compiler switch above all) need a fresh cache.
    rm -f "$dir/CMakeCache.txt"
    mkdir -p "$dir"
    # ccache keeps rebuilds of a fresh clone (CI) on the same machine quick.
    local launcher=()
    command -v ccache >/dev/null 2>&1 && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    cmake -S "$TRIBUTARY_ROOT" -B "$dir" -G Ninja "${launcher[@]}" "$@" >"$dir/configure.log" 2>&1 || {
      cat "$dir/configure.log" >&2
      return 1
    }
    printf '%s' "$args" >"$stamp"
  fi
}
