curl -sS -i -X POST https://app.loops.so/api/v1/events/send \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -H "Idempotency-Key: 4f2c1a8e-7d3b-4e9a-9c61-2b5d8f0e7a13" \
  -d '{
    "email": "ada@example.com",
    "eventName": "signup",
    "eventProperties": {
      "plan": "pro",
      "seats": 3
    },
    "mailingLists": {
      "cm06f5v0e45nf0ml5754o9cix": true
    }
  }'
