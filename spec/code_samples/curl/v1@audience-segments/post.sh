curl -sS -i -X POST https://app.loops.so/api/v1/audience-segments \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "name": "Q1 signups with a company",
    "filter": {
      "match": "all",
      "conditions": [
        {
          "type": "property",
          "key": "createdAt",
          "operator": "between",
          "value": {
            "from": "2026-01-01T00:00:00.000Z",
            "to": "2026-03-31T23:59:59.000Z"
          }
        },
        {
          "type": "property",
          "key": "company",
          "operator": "notEmpty"
        }
      ]
    }
  }'
