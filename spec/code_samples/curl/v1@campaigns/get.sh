curl -sS -i -X GET "https://app.loops.so/api/v1/campaigns?perPage=50" \
  -H "Authorization: Bearer $LOOPS_API_KEY"
