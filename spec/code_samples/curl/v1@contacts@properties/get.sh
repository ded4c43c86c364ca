curl -sS -i -X GET "https://app.loops.so/api/v1/contacts/properties?list=custom" \
  -H "Authorization: Bearer $LOOPS_API_KEY"
