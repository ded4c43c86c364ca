curl -sS -i -X GET "https://app.loops.so/api/v1/contacts/find?email=ada%40example.com" \
  -H "Authorization: Bearer $LOOPS_API_KEY"
