#!/usr/bin/env bash
# Builds the Stratus image into the local Docker engine, with no registry: the Debian base (base-image.sh), a Java
# runtime made with jlink from the build JDK, and the packaged application (target/quarkus-app).
#   container/build-image.sh [--tag T] [--rebuild-base]
# Tags stratus:<version> and stratus:latest, or only T (stratus:T when T has no ':'). An image whose inputs are
# unchanged is reused, not rebuilt. Needs JAVA_HOME (a JDK >= 21 with jlink) and the application built
# (./stratus build); ./stratus image build does both. Prints the image reference on standard output.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="$root/target/quarkus-app"
out="$root/target/container"

log() { echo "image: $*" >&2; }
die() { echo "image: $*" >&2; exit 1; }

tags=() base_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) [ $# -ge 2 ] || die "--tag needs a value"; t="$2"; [[ "$t" == *:* ]] || t="stratus:$t"; tags+=("$t"); shift 2 ;;
    --tag=*) t="${1#--tag=}"; [[ "$t" == *:* ]] || t="stratus:$t"; tags+=("$t"); shift ;;
    --rebuild-base) base_args+=(--rebuild); shift ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (use --tag T or --rebuild-base)" ;;
  esac
done

[ -f "$app/quarkus-run.jar" ] || die "the application is not built: $app/quarkus-run.jar is missing (run ./stratus build)"
jar="$(ls "$app"/app/stratus-*.jar 2>/dev/null | head -1)"
[ -n "$jar" ] || die "no stratus-<version>.jar in $app/app (run ./stratus build)"
version="$(basename "$jar" .jar)"; version="${version#stratus-}"
[ ${#tags[@]} -gt 0 ] || tags=("stratus:$version" "stratus:latest")

[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/jlink" ] || die "JAVA_HOME must name a JDK >= 21 with jlink (got '${JAVA_HOME:-}')"
java_major="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
java_major="${java_major%%.*}"
[ "$java_major" -ge 21 ] 2>/dev/null || die "JAVA_HOME=$JAVA_HOME is Java $java_major; the image needs >= 21"

base="$("$root/container/base-image.sh" "${base_args[@]}")"

# The runtime holds only the modules the application uses (found with jdeps over target/quarkus-app; java.xml,
# java.desktop and java.sql are reached through optional code paths of Jackson, Quarkus and Micrometer). The
# JVM flags the launcher adds for this JDK are linked in, so every java started in the image has them (the
# control service starts its workers with the same binary). The modules are left uncompressed: zip compression
# saves about 30 MB but costs every JVM start about half a second, and replicas start often.
modules="java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs"
# ONNX Runtime loads its native libraries from /opt/stratus/native (extracted below) rather than unpacking them
# into java.io.tmpdir, which may be a noexec tmpfs under a read-only root file system.
jvm_flags="-Donnxruntime.native.path=/opt/stratus/native"
[ "$java_major" -ge 22 ] && jvm_flags="$jvm_flags --enable-native-access=ALL-UNNAMED"
[ "$java_major" -ge 24 ] && jvm_flags="$jvm_flags --sun-misc-unsafe-memory-access=allow --add-opens=java.base/java.lang=ALL-UNNAMED"
jre_key="$( { "$JAVA_HOME/bin/java" -version 2>&1; echo "$JAVA_HOME $modules $jvm_flags cds nozip"; } | sha256sum | cut -c1-12)"
jre="$out/jre-$jre_key"
if [ ! -x "$jre/bin/java" ]; then
  log "linking a Java $java_major runtime (jlink) ..."
  rm -rf "$out"/jre-*
  mkdir -p "$out"
  "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive ${jvm_flags:+--add-options="$jvm_flags"} --output "$jre.part" >&2
  mv "$jre.part" "$jre"
fi

# The build context: hard links where the file system allows (no copying), else copies.
ctx="$out/context"
rm -rf "$ctx"
mkdir -p "$ctx/examples"
link() { cp -al "$1" "$2" 2>/dev/null || cp -a "$1" "$2"; }
link "$app" "$ctx/quarkus-app"
link "$jre" "$ctx/jre"
cp -a "$root/profiles" "$ctx/profiles"
cp -a "$root/examples/local" "$ctx/examples/local"
ort="$(ls "$app"/lib/main/com.microsoft.onnxruntime.onnxruntime*.jar 2>/dev/null | head -1)"
[ -n "$ort" ] || die "no ONNX Runtime jar in $app/lib/main"
mkdir -p "$ctx/native.x"
(cd "$ctx/native.x" && "$JAVA_HOME/bin/jar" xf "$ort" ai/onnxruntime/native/linux-x64/)
mv "$ctx/native.x/ai/onnxruntime/native/linux-x64" "$ctx/native"
rm -rf "$ctx/native.x"
[ -f "$ctx/native/libonnxruntime.so" ] || die "$ort has no linux-x64 native library"

# Everything that goes into the image, hashed: an image built from the same inputs is current.
inputs="$( { echo "$base $version"; cat "$root/container/Dockerfile";
  (cd "$ctx" && find . -type f -print0 | sort -z | xargs -0 sha256sum); } | sha256sum | cut -c1-16)"
current=true
for t in "${tags[@]}"; do
  have="$(docker image inspect "$t" --format '{{ index .Config.Labels "dev.stratus.inputs" }}' 2>/dev/null || true)"
  [ "$have" = "$inputs" ] || current=false
done
if $current; then
  log "reusing ${tags[*]} (inputs unchanged)"
else
  log "building ${tags[*]} on $base ..."
  start=$SECONDS
  tag_args=()
  for t in "${tags[@]}"; do tag_args+=(-t "$t"); done
  # --network host: the build runs nothing, but never touch the bridge network; --pull=false: the base is local.
  # The classic builder: it needs no buildx plugin and talks to old engines (Debian's 20.10) as well as new ones.
  if ! DOCKER_BUILDKIT=0 docker build --network host --pull=false -f "$root/container/Dockerfile" \
      --build-arg BASE="$base" --build-arg VERSION="$version" --label "dev.stratus.inputs=$inputs" \
      "${tag_args[@]}" "$ctx" > "$out/build.log" 2>&1; then
    tail -30 "$out/build.log" >&2
    die "docker build failed (whole log: $out/build.log)"
  fi
  log "built in $((SECONDS - start)) s"
  # The image these tags pointed to before, now untagged: ours (by label) and of no further use.
  docker image prune --force --filter label=dev.stratus.inputs >/dev/null
fi
rm -rf "$ctx"
size="$(docker image inspect "${tags[0]}" --format '{{.Size}}')"
log "${tags[*]}: $((size / 1000000)) MB"
echo "${tags[0]}"
