# Sourced by bin/modelcache, bin/test and .ci/run: finds a JDK 25 or newer and exports JAVA_HOME.
# Looks at JAVA_HOME first, then the system's standard JVM folder, then `java` on the PATH.

modelcache_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { split($2, v, "."); print v[1]; exit }'
}

modelcache_find_java() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(modelcache_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 25 ]; then
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(modelcache_java_major "$candidate")
    if [ "${major:-0}" -ge 25 ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
    candidate=$(command -v java)
    major=$(modelcache_java_major "$candidate")
    [ "${major:-0}" -ge 25 ] && best=$candidate
  fi
  if [ -z "$best" ]; then
    echo "modelcache: error: no JDK 25 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm, PATH);" \
      "install one and set JAVA_HOME" >&2
    return 1
  fi
  JAVA_HOME=$(cd "$(dirname "$(readlink -f "$best")")/.." && pwd)
  export JAVA_HOME
}
