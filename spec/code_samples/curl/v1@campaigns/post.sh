curl -sS -i -X POST https://app.loops.so/api/v1/campaigns \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "name": "Spring announcement",
    "campaignGroupId": "clq3b7s9u007yl70u9v0w1x2y",
    "audienceSegmentId": "clr4c8t0v008yl70x3y4z5a6b",
    "scheduling": {
      "method": "schedule",
      "timestamp": "2031-04-01T09:00:00.000Z"
    }
  }'
