curl -sS -i -X GET https://app.loops.so/api/v1/audience-segments/clr4c8t0v008yl70x3y4z5a6b \
  -H "Authorization: Bearer $LOOPS_API_KEY"
