curl -sS -i -X POST https://app.loops.so/api/v1/email-messages/cmn5zia4i0017tzli8ric8giv/preview \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "emails": [
      "ada@acme.com",
      "grace@acme.com"
    ],
    "contactProperties": {
      "firstName": "Ada",
      "plan": "pro"
    }
  }'
