#!/bin/sh
# Writes the class-data-sharing archive of custody.jar: the classes the command line loads, parsed and laid
# out once, so that each command starts in about half the CPU time (docs/benchmarks.md, "Starting a
# command"). The archive is made by a training run, 'custody demo' (init, imports, every handoff of a bag's
# life, history and verify, in one JVM), and is written beside the jar as custody.jsa, which bin/custody uses
# when it is there. An archive holds only for the java that made it and the jar at the path it was made
# from: after copying the jar elsewhere, or with another JDK, run this again there (bin/custody runs without
# it, only slower). Run by the build (custody-cli's package phase); by hand: tools/build/cds-archive.sh JAR.
set -eu
jar=${1:?usage: cds-archive.sh PATH/TO/custody.jar}
jar=$(CDPATH= cd -- "$(dirname -- "$jar")" && pwd)/$(basename -- "$jar")
archive=${jar%.jar}.jsa
if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java=java; fi
work=$(mktemp -d "${TMPDIR:-/tmp}/custody-cds.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -f "$archive"
# The same garbage collector and options as bin/custody's defaults, so the archive matches how it runs.
if ! "$java" -XX:+UseParallelGC -Xmn128m -XX:MetaspaceSize=64m -Dfile.encoding=UTF-8 \
    -XX:ArchiveClassesAtExit="$work/custody.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -jar "$jar" demo --ledger "$work/demo.db" >"$work/demo.log" 2>&1; then
  cat "$work/demo.log" >&2
  echo "cds-archive: the training run ('custody demo') failed; see above" >&2
  exit 1
fi
if [ -s "$work/custody.jsa" ]; then
  mv "$work/custody.jsa" "$archive"
  # -Xshare:on makes Java fail rather than run without the archive: proof that it maps for this jar and java.
  if ! "$java" -XX:SharedArchiveFile="$archive" -Xshare:on -jar "$jar" -V >/dev/null; then
    rm -f "$archive"
    echo "cds-archive: the archive made does not load for $jar; removed" >&2
    exit 1
  fi
  echo "cds-archive: wrote $archive"
else
  echo "cds-archive: this java made no archive; custody runs without one (slower to start)" >&2
fi
