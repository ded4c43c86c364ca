curl -sS -i -X GET "https://app.loops.so/api/v1/transactional?perPage=10" \
  -H "Authorization: Bearer $LOOPS_API_KEY"
