curl -sS -i -X POST https://app.loops.so/api/v1/contacts/delete \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "userId": "user_8Hq2"
  }'
