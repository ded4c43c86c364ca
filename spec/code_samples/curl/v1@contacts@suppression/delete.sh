curl -sS -i -X DELETE "https://app.loops.so/api/v1/contacts/suppression?email=ada%40example.com" \
  -H "Authorization: Bearer $LOOPS_API_KEY"
