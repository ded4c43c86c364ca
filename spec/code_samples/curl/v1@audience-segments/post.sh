curl -sS -i -X POST https://app.loops.so/api/v1/audience-segments \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "name": "Pro plan, opted in",
    "description": "Paying customers on the Pro plan who confirmed their subscription.",
    "filter": {
      "match": "all",
      "conditions": [
        {
          "type": "property",
          "key": "plan",
          "operator": "equals",
          "value": "pro"
        },
        {
          "type": "optIn",
          "status": "accepted"
        }
      ]
    }
  }'
