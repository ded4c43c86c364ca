curl -sS -i -X GET https://app.loops.so/api/v1/campaign-groups/clq3b7s9u007yl70u9v0w1x2y \
  -H "Authorization: Bearer $LOOPS_API_KEY"
