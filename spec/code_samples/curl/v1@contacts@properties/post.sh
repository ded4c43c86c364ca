curl -sS -i -X POST https://app.loops.so/api/v1/contacts/properties \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "name": "companyName",
    "type": "string"
  }'
