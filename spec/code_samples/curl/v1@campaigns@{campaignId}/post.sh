curl -sS -i -X POST https://app.loops.so/api/v1/campaigns/clp1z5q7s004yl70l4m5n6o7p \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "audienceSegmentId": "clr4c8t0v008yl70x3y4z5a6b",
    "audienceFilter": {
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
    },
    "scheduling": {
      "method": "schedule",
      "timestamp": "2031-04-01T09:00:00.000Z"
    }
  }'
