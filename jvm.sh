# Sourced by ./subliminal and the benchmark scripts (bash): JVM_OPTIONS, the JVM options every command
# runs with, so that a benchmark measures what a user runs. They change how memory is managed, never
# a result (docs/language-models.md, "The collector"):
# - jvm.options, an argument file of the collector's settings and the JIT's trap limit (any platform);
# - -XX:+UseTransparentHugePages where Linux offers transparent huge pages on request or always: the
#   heap in 2 MiB pages, fewer TLB misses over parameter-sized vectors and packed panels. The option
#   exists only on Linux, and where the kernel offers no huge pages the JVM prints a warning on
#   standard output, so it is added only where they are offered.
JVM_OPTIONS=(@"$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/jvm.options")
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
  JVM_OPTIONS+=(-XX:+UseTransparentHugePages)
fi

# pretouch_option 1|0: PRETOUCH_OPTION, -XX:+AlwaysPreTouch or nothing, for the benchmark scripts' PRETOUCH
# (README.md advises the option for a run in a heap sized to it; docs/language-models.md, "Touching new
# memory"); any other value is refused.
pretouch_option() {
  case "$1" in
    1) PRETOUCH_OPTION=(-XX:+AlwaysPreTouch) ;;
    0) PRETOUCH_OPTION=() ;;
    *) echo "PRETOUCH must be 0 or 1, got '$1'" >&2; exit 2 ;;
  esac
}
