curl -sS -i -X GET https://app.loops.so/api/v1/campaigns/clp1z5q7s004yl70l4m5n6o7p \
  -H "Authorization: Bearer $LOOPS_API_KEY"
