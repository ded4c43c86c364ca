curl -sS -i -X PUT https://app.loops.so/api/v1/contacts/update \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "email": "ada@example.com",
    "plan": "team"
  }'
