curl -sS -i -X POST https://app.loops.so/api/v1/contacts/create \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "email": "ada@example.com",
    "firstName": "Ada",
    "lastName": "Lovelace",
    "userId": "user_8Hq2",
    "source": "Signup form",
    "mailingLists": {
      "cm06f5v0e45nf0ml5754o9cix": true
    },
    "plan": "pro",
    "seats": 3
  }'
