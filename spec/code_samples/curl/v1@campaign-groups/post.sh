curl -sS -i -X POST https://app.loops.so/api/v1/campaign-groups \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "name": "Product launches",
    "description": "Announcements of new features."
  }'
