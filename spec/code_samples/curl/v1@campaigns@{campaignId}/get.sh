curl -sS -i -X GET https://app.loops.so/api/v1/campaigns/cln0y4p6r003yl70i1j2k3l4m \
  -H "Authorization: Bearer $LOOPS_API_KEY"
