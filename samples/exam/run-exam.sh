#!/usr/bin/env bash
# The sample exam HN-ZSB-2021 (湖南省2021年专升本自主命题考试, fictional) recorded end to end with the custody
# command line: 2 sites, 20 rooms, 3 sessions, sets A and B, spare papers, answer-sheet bags, transport boxes.
#
#   samples/exam/run-exam.sh clean|incidents [--work DIR] [--keys DIR]
#
# Run from anywhere after building (./mvnw -B -q package -DskipTests). It writes into DIR (default: a new
# folder under $TMPDIR): a key file and passphrase file per person (keys/, or --keys DIR to reuse the keys of
# an earlier run), the ledger exam.db, the command file exam.custody, and report.json. It runs every command
# of exam.custody with 'custody batch' (one Java start; each person unlocks their key once), then verifies
# the ledger: the JSON report to report.json, the text report on screen. Exit status: that of the
# verification (0 intact and no findings; 1 custody-rule findings; 3 integrity findings).
#
#   clean      the exam as the regulations want it, under the strict policy: the report has no findings.
#   incidents  the same exam under the record-what-happened policy, with twelve incidents planted:
#              - a bag's seal found broken at room pickup (K02 room 06, S2 MATH set A): seal_broken incident;
#              - an early opening (K01 room 07, S1 ENG set A opened at 08:40 for a 09:00 start): R06;
#              - set A of S3 MAJ leaked: suspected_leak and set_withdrawn incidents, every room uses set B;
#              - a missing answer sheet (K02 room 04, S2 MATH: 29 sheets for 29 present + 1 absent): R07;
#              - P040, recused from the exam, co-signs the vault's video review of 2021-06-10 16:00: R08;
#              - K02's S1 escort is dated 05:00, before the 05:30 distribution it follows: R15;
#              - K01 room 03's S2 bag shows seal FT2021-999999 at pickup, not the seal it was sealed with: R16;
#              - K01's chief examiner alone approves opening spare S3 MAJ papers: R17;
#              - K01 room 05's S3 papers recorded as opened in room 06: R19;
#              - K02 room 10 (non-standard, 3 invigilators) opens its S1 papers with 2 of them: R20;
#              - K01 room 02's S1 backup set B is packed into K01's S2 box at the vault: R21;
#              - a day after the exam, invigilator P035's key is declared compromised from 10:00 during S3: R18 on
#                what it signed since.
#
# CUSTODY names the custody launcher (default: custody-cli/bin/custody of this repository).
set -euo pipefail

usage() {
    echo "usage: $0 clean|incidents [--work DIR] [--keys DIR]" >&2
    exit 2
}

mode=${1:-}
[ "$mode" = clean ] || [ "$mode" = incidents ] || usage
shift
work=
keys=
while [ $# -gt 0 ]; do
    case $1 in
        --work) [ $# -ge 2 ] || usage; work=$2; shift 2 ;;
        --keys) [ $# -ge 2 ] || usage; keys=$2; shift 2 ;;
        *) usage ;;
    esac
done

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH='' cd -- "$here/../.." && pwd)
custody=${CUSTODY:-$root/custody-cli/bin/custody}
if [ -z "${CUSTODY:-}" ] && [ ! -f "$root/custody-cli/target/custody.jar" ]; then
    echo "error: build custody first: ./mvnw -B -q package -DskipTests (in $root)" >&2
    exit 2
fi
umask 077
work=${work:-$(mktemp -d "${TMPDIR:-/tmp}/custody-exam-$mode.XXXXXX")}
mkdir -p "$work"
work=$(CDPATH='' cd -- "$work" && pwd)
keys=${keys:-$work/keys}
mkdir -p "$keys"
keys=$(CDPATH='' cd -- "$keys" && pwd)
ledger=$work/exam.db
if [ -e "$ledger" ]; then
    echo "error: $ledger already exists; name a new folder with --work" >&2
    exit 2
fi
roster=$here/roster.csv
plan=$here/plan.csv
batch=$work/exam.custody
events=$work/events.tsv
exam=HN-ZSB-2021
: > "$events"

# ---------------------------------------------------------------- how lines of exam.custody are written

# line WORD...: sets LINE to one command line as the batch file reads it: each word bare when safe, else quoted.
safe='^[A-Za-z0-9._:/=@%+,-]+$'
line() {
    local w q
    LINE=
    for w in "$@"; do
        if [[ $w =~ $safe ]]; then q=$w; else q="'${w//\'/\'\\\'\'}'"; fi
        LINE+="${LINE:+ }$q"
    done
}

# signers PERSON...: sets SIGN to the key and passphrase options of those people.
signers() {
    SIGN=(--keys-dir "$keys")
    local p
    for p in "$@"; do SIGN+=(--passphrase-file "$p=$keys/$p.pass"); done
}

# at 'YYYY-MM-DD HH:MM' WORD...: a command that happens at that local time (events are sorted by time).
at() {
    local t=$1
    shift
    line "$@"
    printf '%s\t%s\n' "$t" "$LINE" >> "$events"
}

# note 'YYYY-MM-DD HH:MM' TEXT: a comment shown when the batch runs.
note() {
    printf '%s\t# %s %s\n' "$1" "$1" "$2" >> "$events"
}

# handoff TIME ID STEP FROM|- TO 'WITNESS...' PLACE 'BAG...' [OPTION...]; RECORDED_AT, when set, is when the handoff is
# recorded (its place in the ledger) if that is not TIME, the time it claims
RECORDED_AT=
handoff() {
    local t=$1 id=$2 step=$3 from=$4 to=$5 witnesses=$6 place=$7 bags=$8 w b
    shift 8
    local args=(handoff --ledger "$ledger" --id "$id" --step "$step" --at "$t")
    local people=()
    [ "$from" = - ] || { args+=(--from "$from"); people+=("$from"); }
    args+=(--to "$to")
    people+=("$to")
    for w in $witnesses; do args+=(--witness "$w"); people+=("$w"); done
    args+=(--place "$place")
    for b in $bags; do args+=(--bag "$b"); done
    signers "${people[@]}"
    at "${RECORDED_AT:-$t}" "${args[@]}" "$@" "${SIGN[@]}"
    RECORDED_AT=
}

# incident TIME ID TYPE 'BY...' NOTE [OPTION...]
incident() {
    local t=$1 id=$2 type=$3 by=$4 text=$5 p
    shift 5
    local args=(incident --ledger "$ledger" --id "$id" --type "$type" --at "$t")
    for p in $by; do args+=(--by "$p"); done
    args+=(--note "$text")
    signers $by
    at "$t" "${args[@]}" "$@" "${SIGN[@]}"
}

# ---------------------------------------------------------------- the people (roster.csv) and the plan

people=$(tail -n +2 "$roster" | cut -d, -f1)
# site staff: chief examiner, deputy, site confidentiality officer, site discipline inspector, escort, police
declare -A chief=([K01]=P015 [K02]=P042) deputy=([K01]=P016 [K02]=P043) officer=([K01]=P017 [K02]=P044)
declare -A inspector=([K01]=P019 [K02]=P046) escort=([K01]=P011 [K02]=P012) police=([K01]=P013 [K02]=P014)
# provincial staff: vault keepers P006-P008 (保密员), discipline inspectors P009-P010, print supervisor P001,
# printer staff P003, grading leader P070 and graders P071-P072
vault=VAULT
sites="K01 K02"
rooms="01 02 03 04 05 06 07 08 09 10"
sessions="S1 S2 S3"
declare -A subject=([S1]=ENG [S2]=MATH [S3]=MAJ) day=([S1]=2021-06-09 [S2]=2021-06-09 [S3]=2021-06-10)
declare -A grading_day=([S1]=2021-06-11 [S2]=2021-06-12 [S3]=2021-06-13)
declare -A copies
while IFS=, read -r _ site _ room _ session _ _ _ _ candidates _ _; do
    copies[$site.$room.$session]=$candidates
done < <(tail -n +2 "$plan")

# invigilators SITE ROOM: the room's invigilators, first one receives (2 per standard room, 3 in K02 room 10)
invigilators() {
    local n base
    n=$((10#$2))
    if [ "$1" = K01 ]; then base=20; else base=47; fi
    if [ "$1" = K02 ] && [ "$2" = 10 ]; then
        echo "P065 P066 P067"
    else
        printf 'P%03d P%03d\n' $((base + 2 * (n - 1))) $((base + 2 * (n - 1) + 1))
    fi
}

# the set drawn by lot for each session; in the incident run set A of S3 is withdrawn, B is used
declare -A drawn=([S1]=A [S2]=A [S3]=A)
[ "$mode" = clean ] || drawn[S3]=B

# clock MINUTES: HH:MM of a number of minutes after midnight
clock() { printf '%02d:%02d' $(($1 / 60)) $(($1 % 60)); }
# seal numbers: FT2021-000001... on question papers, DJ2021-000001... on answer sheets
declare -A seal
sealno=0

bag() { echo "$exam.$1.$2.$3.${subject[$3]}.$4"; } # bag SITE ROOM SESSION SET
papers() { # papers SITE SESSION: every bag of papers of a site and session (rooms' sets, then spare papers)
    local r s
    for r in $rooms BY; do for s in A B; do bag "$1" "$r" "$2" "$s"; done; done
}

# ---------------------------------------------------------------- 印制 print and 封装 seal (2021-06-07)

note '2021-06-07 08:00' "印制 printing at the secured printer (湘印保密印刷厂), then 封装 sealing bag by bag"
for session in $sessions; do
    all=$(for site in $sites; do papers "$site" "$session"; done)
    handoff "2021-06-07 08:0${session#S}" "print-$session" print - P001 "P003 P006" PRINTER "$all" --place-name 湘印保密印刷厂
done
minute=$((9 * 60))
for session in $sessions; do
    for site in $sites; do
        for room in $rooms BY; do
            for set in A B; do
                b=$(bag "$site" "$room" "$session" "$set")
                sealno=$((sealno + 1))
                seal[$b]=$(printf 'FT2021-%06d' "$sealno")
                handoff "2021-06-07 $(clock "$minute")" "seal-$site-$room-$session-$set" seal P001 P006 P003 PRINTER "$b" \
                    --count "${copies[$site.$room.$session]}" --seal "${seal[$b]}" --seal-state intact
                minute=$((minute + 2))
            done
        done
    done
done

# ---------------------------------------------------------------- 保密室 vault, inspected every 6 hours

note '2021-06-07 16:00' "入库 into the provincial vault (省教育考试院保密室)"
handoff '2021-06-07 16:00' vault-in vault_in P006 P007 P009 $vault \
    "$(for session in $sessions; do for site in $sites; do papers "$site" "$session"; done; done)" --seal-state intact \
    --place-name 省教育考试院保密室
for d in 07 08 09 10 11 12 13; do
    for h in 04 10 16 22; do
        [ "$d$h" \> 0716 ] && [ "$d$h" \< 1322 ] || continue
        by="P008 P010"
        # planted (incident run): a recused invigilator co-signs one video review (R08: no record of the exam)
        [ "$mode" = incidents ] && [ "$d$h" = 1016 ] && by="P008 P040"
        incident "2021-06-$d $h:00" "vault-inspection-$d-$h" vault_inspection "$by" 监控回放正常，双人双锁完好 --place $vault
    done
done

# ---------------------------------------------------------------- each session: vault, escort, site, rooms, back

for session in $sessions; do
    D=${day[$session]}
    # the afternoon's papers travel with the morning's and wait in the site's confidential room (考点保密室)
    if [ "$session" = S2 ]; then base=$((5 * 60 + 35)); start=$((14 * 60 + 30)); end=$((17 * 60)); else
        base=$((5 * 60 + 30)); start=$((9 * 60)); end=$((11 * 60 + 30)); fi
    for site in $sites; do
        box=$exam.BOX.$site.$session
        all=$(papers "$site" "$session")
        packed=$all
        # planted (incident run): K01 room 02's S1 backup set B is packed at the vault with the afternoon's papers, into
        # K01's S2 box (R21); the S1 escort finds it there at 07:00 and carries it on in the S1 box, as the S2 escort
        # then hands over the S2 box with only its own bags
        if [ "$mode" = incidents ] && [ "$site" = K01 ]; then
            stray=$(bag K01 02 S1 B)
            if [ "$session" = S1 ]; then packed=$(for b in $all; do [ "$b" = "$stray" ] || echo "$b"; done); fi
            if [ "$session" = S2 ]; then packed+=" $stray"; fi
        fi
        unused=$(for room in $rooms BY; do for set in A B; do
            [ "$room" != BY ] && [ "$set" = "${drawn[$session]}" ] || bag "$site" "$room" "$session" "$set"; done; done)
        note "$D $(clock $base)" "$session $site: 分发 distribution, 押运 escort with police, 考点接收 site receipt"
        handoff "$D $(clock $base)" "distribute-$site-$session" distribute P007 "${escort[$site]}" "P006 P009" $vault "$packed" \
            --into "$box" --seal-state intact
        escort_at=$((base + 90))
        # planted (incident run): K02's S1 escort, recorded when it happened, dated half an hour before the distribution
        # it follows (R15)
        if [ "$mode" = incidents ] && [ "$site$session" = K02S1 ]; then RECORDED_AT="$D $(clock $escort_at)"; escort_at=$((base - 30)); fi
        handoff "$D $(clock $escort_at)" "escort-$site-$session" escort "${escort[$site]}" "${chief[$site]}" \
            "${police[$site]}" "$site" "$all" --into "$box"
        handoff "$D $(clock $((base + 100)))" "site-receipt-$site-$session" site_receipt "${chief[$site]}" \
            "${officer[$site]}" "${inspector[$site]}" "$site" "$all" --into "$box"
        for room in $rooms; do
            read -r -a inv <<< "$(invigilators "$site" "$room")"
            n=$((10#$room))
            q=$(bag "$site" "$room" "$session" "${drawn[$session]}")
            ans=$(bag "$site" "$room" "$session" ANS)
            total=${copies[$site.$room.$session]}
            absent=$(((n * 7 + ${session#S} * 3) % 3))
            present=$((total - absent))
            collected=$total # present candidates' sheets and the absent ones' marked 缺考 (004 Art.45)
            state=intact
            opening=$((start - 5))
            if [ "$mode" = incidents ] && [ "$site.$room.$session" = K01.07.S1 ]; then
                opening=$((start - 20)) # planted: opened 15 minutes before the permitted time (R06)
            fi
            if [ "$mode" = incidents ] && [ "$site.$room.$session" = K02.06.S2 ]; then
                state=broken # planted: the bag's seal is found broken at pickup
            fi
            if [ "$mode" = incidents ] && [ "$site.$room.$session" = K02.04.S2 ]; then
                collected=$((total - 1)) # planted: one answer sheet missing at collection (R07)
            fi
            pickup_seal=${seal[$q]}
            if [ "$mode" = incidents ] && [ "$site.$room.$session" = K01.03.S2 ]; then
                pickup_seal=FT2021-999999 # planted: another seal number at pickup than the one applied, nothing recorded (R16)
            fi
            witnesses=${inv[*]:1}
            handoff "$D $(clock $((start - 30 + n - 1)))" "pickup-$site-$room-$session" room_pickup "${officer[$site]}" \
                "${inv[0]}" "$witnesses" "$site" "$q" --seal "$pickup_seal" --seal-state $state
            if [ $state = broken ]; then
                incident "$D $(clock $((start - 28 + n - 1)))" "seal-broken-$site-$room-$session" seal_broken \
                    "${inv[*]} ${chief[$site]} ${inspector[$site]}" \
                    "试卷袋封条破损；主考、纪检监察现场核查，袋内试卷份数完整，报省考试院备案后按时启封" \
                    --bag "$q" --place "$site"
            fi
            openers=$witnesses
            room_place=$site-$room
            if [ "$mode" = incidents ] && [ "$site.$room.$session" = K01.05.S3 ]; then
                room_place=$site-06 # planted: recorded as opened in room 06, not its own room 05 (R19)
            fi
            if [ "$mode" = incidents ] && [ "$site.$room.$session" = K02.10.S1 ]; then
                openers=${inv[1]} # planted: non-standard room 10 opened by 2 of its 3 invigilators (R20)
            fi
            handoff "$D $(clock $opening)" "open-$site-$room-$session" open - "${inv[0]}" "$openers" "$room_place" "$q" \
                --count "$total" --seal "${seal[$q]}" --seal-state $state
            sealno=$((sealno + 1))
            aseal=$(printf 'DJ2021-%06d' "$sealno")
            handoff "$D $(clock $((end + 5)))" "collect-$site-$room-$session" collect - "${inv[0]}" "$witnesses" \
                "$site-$room" "$ans" --count "$collected" --present "$present" --absent "$absent" --seal "$aseal" \
                --seal-state intact
            if [ "$collected" != "$total" ]; then
                incident "$D $(clock $((end + 7)))" "miscount-$site-$room-$session" miscount \
                    "${inv[*]} ${chief[$site]}" "清点答卷：实到${present}人、缺考${absent}人，答卷仅${collected}份，缺1份；已报告主考" --bag "$ans"
            fi
            handoff "$D $(clock $((end + 10 + n - 1)))" "ans-receipt-$site-$room-$session" site_receipt "${inv[0]}" \
                "${officer[$site]}" "$witnesses" "$site" "$ans" --seal "$aseal" --seal-state intact
            unused+=" $ans"
        done
        note "$D $(clock $((end + 40)))" "$session $site: 回收 answer sheets and unused papers back to the vault"
        handoff "$D $(clock $((end + 40)))" "return-escort-$site-$session" return_escort "${officer[$site]}" \
            "${escort[$site]}" "${police[$site]}" "$site" "$unused" --into "$box" --seal-state intact
        handoff "$D $(clock $((end + 90)))" "vault-return-$site-$session" vault_return "${escort[$site]}" P007 P009 \
            $vault "$unused $box" --seal-state intact
    done
done

# ---------------------------------------------------------------- the leaked set (incident run)

if [ "$mode" = incidents ]; then
    note '2021-06-10 07:30' "S3 MAJ set A reported leaked: set A withdrawn, every room opens set B (004 Art.18)"
    incident '2021-06-10 07:30' leak-S3-MAJ-A suspected_leak "P006 P009 P010" \
        "省考试院接报：专业综合A卷疑似泄露，立即启用B卷"
    withdrawn=$(for site in $sites; do for room in $rooms BY; do bag "$site" "$room" S3 A; done; done)
    args=()
    for b in $withdrawn; do args+=(--bag "$b"); done
    incident '2021-06-10 07:35' withdraw-S3-MAJ-A set_withdrawn "P006 P009" "专业综合A卷停用，各考场启封B卷" \
        --set "$exam/S3/MAJ/A" "${args[@]}"
    # planted: K01's chief examiner alone records an approval to open spare papers (R17: a second examiner or a
    # discipline inspector signs it too, 004 Art.46); no spare bag is opened
    incident '2021-06-10 07:40' spare-approval-K01-S3 spare_opening_approval "P015" \
        "主考批准启用备用专业综合B卷（未开启）" --bag "$(bag K01 BY S3 B)"
fi

# ---------------------------------------------------------------- 评卷 grading: out and back the same day

for session in $sessions; do
    G=${grading_day[$session]}
    answers=$(for site in $sites; do for room in $rooms; do bag "$site" "$room" "$session" ANS; done; done)
    note "$G 08:30" "$session: 评卷 answer sheets checked out for grading and returned the same day"
    handoff "$G 08:30" "grading-out-$session" grading_out P007 P070 P071 GRADING "$answers" --place-name 评卷中心
    handoff "$G 17:30" "grading-return-$session" grading_return P070 P007 "P072 P009" $vault "$answers" --seal-state intact
done

# ---------------------------------------------------------------- a key declared compromised (incident run)

if [ "$mode" = incidents ]; then
    # planted: a day after the exam, invigilator P035 (K01 room 08) reports that the laptop holding the key file was
    # left unattended in the site office from 10:00 during S3; the exam office's officer and discipline inspector
    # revoke the key from then (a compromise declaration, R17's quorum), so what it signed since, S3's collection and
    # answer-sheet receipt of room 08, is listed (R18). P035 signs nothing after: a signature now would be I05
    note '2021-06-11 10:00' "密钥泄露 key compromised: P035's key file may have been copied since 2021-06-10 10:00; revoked from then"
    signers P006 P009
    at '2021-06-11 10:00' keys revoke --ledger "$ledger" --person P035 --effective '2021-06-10 10:00' --at '2021-06-11 10:00' \
        --reason "考试期间存放密钥文件的电脑无人看管，密钥可能被复制 / key file may have been copied" --by P006 --by P009 "${SIGN[@]}"
fi

# ---------------------------------------------------------------- exam.custody: set-up, then every event by time

{
    echo "# $exam ($mode): the sample exam of samples/exam, recorded with the custody command line"
    echo "# 准备 keys: each person's own key file, protected by their passphrase"
    for p in $people; do
        if [ ! -f "$keys/$p.key" ]; then
            [ -f "$keys/$p.pass" ] || head -c 18 /dev/urandom | base64 > "$keys/$p.pass"
            # fewest PBKDF2 iterations allowed, so that the sample runs quickly; real key files keep the default
            line keys new "$keys/$p.key" --passphrase-file "$keys/$p.pass" --iterations 100000
            echo "$LINE"
        fi
    done
    [ -f "$work/ledger-key.pass" ] || head -c 18 /dev/urandom | base64 > "$work/ledger-key.pass"
    policy=strict
    [ "$mode" = clean ] || policy=record
    echo "# 建账 the ledger, its policy ($policy), everyone on the roster, the bags and the timetable of the plan"
    signers P006 P009
    line init --ledger "$ledger" --id "$exam" --roster "$roster" --founder P006 --founder P009 --mode "$policy" \
        --at '2021-06-01 09:00' --ledger-key-passphrase-file "$work/ledger-key.pass" "${SIGN[@]}"
    echo "$LINE"
    # shellcheck disable=SC2086
    signers $people
    line people import --ledger "$ledger" --roster "$roster" --sponsor P006 --at '2021-06-01 10:00' "${SIGN[@]}"
    echo "$LINE"
    signers P006 P009
    line bags import --ledger "$ledger" --plan "$plan" --vault "$vault=省教育考试院保密室" --by P006 --by P009 --at '2021-06-01 11:00' "${SIGN[@]}"
    echo "$LINE"
    sort -s -t "$(printf '\t')" -k1,1 "$events" | cut -f2-
} > "$batch"
rm -f "$events"

echo "Sample exam $exam, $mode run, in $work"
echo "Running the $(grep -cv '^#' "$batch") commands of $batch with 'custody batch'..."
set +e
"$custody" batch "$batch"
status=$?
set -e
if [ $status -gt 1 ]; then
    echo "error: the batch stopped with exit status $status (see above); the ledger holds what ran before" >&2
    exit $status
fi
set +e
"$custody" verify "$ledger" --format json -o "$work/report.json"
"$custody" verify "$ledger"
status=$?
set -e
echo "ledger $ledger, JSON report $work/report.json, commands $batch"
exit $status
