curl -sS -i -X POST https://app.loops.so/api/v1/transactional \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -H "Idempotency-Key: 4f2c1a8e-7d3b-4e9a-9c61-2b5d8f0e7a13" \
  -d '{
    "transactionalId": "clfq6dinn000yl70fgwwyp82l",
    "email": "ada@example.com",
    "dataVariables": {
      "firstName": "Ada",
      "confirmationUrl": "https://example.com/confirm/8Hq2"
    }
  }'
