curl -sS -i -X GET https://app.loops.so/api/v1/lists \
  -H "Authorization: Bearer $LOOPS_API_KEY"
