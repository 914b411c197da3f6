#!/bin/bash
# rt-smoke.sh: check an RT started by rt-setup.sh answers REST 1.0 and REST2 as SD's tests expect,
# custom fields and the test scrip included. RT_PORT=19480 test/foreign/rt/rt-smoke.sh; non-zero on failure.
set -euo pipefail
B=http://127.0.0.1:${RT_PORT:-19480}; J='Content-Type: application/json'
Q=smoke-$(date +%s)-$$        # a fresh queue per run: names must be unique
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
chk() { grep -q "$1" || { echo "FAIL: $2" >&2; exit 1; }; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# Log in once: bcrypt makes every basic-auth request cost ~0.3 s; the cookie serves REST 1.0 and REST2.
# With a cookie, RT's CSRF check refuses REST2 writes unless the Referer is RT's own base URL.
C=(-s -f -b "$T/cj" -c "$T/cj" -H "Referer: $B/")
curl "${C[@]}" -o /dev/null "$B/NoAuth/Login.html" -d user=root -d pass=password
grep -q RT_SID_ "$T/cj" || { echo "FAIL: login" >&2; exit 1; }

curl "${C[@]}" "$B/REST/2.0/rt" | chk '"Version"' "rest2 version"
curl "${C[@]}" -X POST -H "$J" "$B/REST/2.0/queue" -d "{\"Name\":\"scrip-$Q\"}" | chk '"id"' "rest2 queue create"
printf '\x00\x01\xff\xfe binary\r\n' > "$T/blob.bin"
B64=$(base64 -w0 "$T/blob.bin")
ID=$(curl "${C[@]}" -X POST -H "$J" "$B/REST/2.0/ticket" -d "{\"Queue\":\"scrip-$Q\",\"Subject\":\"smoke\",\"Content\":\"first words\",
  \"ContentType\":\"text/plain\",\"Requestor\":[\"alice@example.test\"],\"Cc\":[\"bob@example.test\"],
  \"CustomFields\":{\"Severity\":\"high\",\"Tags\":[\"a\",\"b\"]}}" | json 'd["id"]')
curl "${C[@]}" -X POST -H "$J" "$B/REST/2.0/ticket/$ID/comment" -d "{\"Content\":\"a comment\",\"ContentType\":\"text/plain\",
  \"Attachments\":[{\"FileName\":\"blob.bin\",\"FileType\":\"application/octet-stream\",\"FileContent\":\"$B64\"}]}" | chk 'Comments added' "rest2 comment+file"
curl "${C[@]}" -X PUT -H "$J" "$B/REST/2.0/ticket/$ID" -d '{"Status":"resolved"}' | chk 'Status changed' "rest2 status"
T1=$(curl "${C[@]}" "$B/REST/2.0/ticket/$ID")
echo "$T1" | json 'd["Priority"]' | chk '^77$' "scrip set priority 77"
echo "$T1" | json '[c["values"] for c in d["CustomFields"] if c["name"]=="Severity"][0]' | chk "high" "custom field"
AID=$(curl "${C[@]}" "$B/REST/2.0/ticket/$ID/attachments?fields=Filename" | json '[a["id"] for a in d["items"] if a.get("Filename")=="blob.bin"][0]')
curl "${C[@]}" "$B/REST/2.0/attachment/$AID" | json 'd["Content"]' | base64 -d | cmp - "$T/blob.bin" || { echo "FAIL: attachment bytes (rest2)" >&2; exit 1; }
# REST 1.0 answers 200 with the real status in a first line, then a blank line, then the bytes.
curl "${C[@]}" "$B/REST/1.0/ticket/$ID/attachments/$AID/content" | python3 -c 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().split(b"\n\n", 1)[1])' | cmp - "$T/blob.bin" || { echo "FAIL: attachment bytes (rest1)" >&2; exit 1; }
curl "${C[@]}" "$B/REST/1.0/ticket/$ID/show" | chk "Status: resolved" "rest1 show"
curl "${C[@]}" -G "$B/REST/2.0/tickets" --data-urlencode "query=Queue='scrip-$Q'" | chk '"total" *: *1' "rest2 search"
echo "RT smoke OK at $B (queue scrip-$Q, ticket $ID)"
