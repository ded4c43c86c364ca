curl -sS -i -X POST https://app.loops.so/api/v1/email-messages/cmn5zia4i0017tzli8ric8giv \
  -H "Authorization: Bearer $LOOPS_API_KEY" \
  -H "Content-Type: application/json" \
  -d '{
    "expectedRevisionId": "clv8g2x4z012yl70n5o6p7q8r",
    "subject": "Spring is here",
    "previewText": "Three new features for your team",
    "fromName": "Ada from Acme",
    "fromEmail": "hello",
    "replyToEmail": "support@acme.com",
    "lmx": "<Style>\n  .cta { color: #2f6f4e; }\n</Style>\n<Paragraph>Hello {firstName}, spring is here.</Paragraph>\n<Button href=\"https://acme.com/spring\" className=\"cta\">See the new features</Button>\n",
    "contactPropertiesFallbacks": {
      "firstName": "there"
    }
  }'
