curl -sS -i -X GET https://app.loops.so/api/v1/email-messages/cmn5zia4i0017tzli8ric8giv \
  -H "Authorization: Bearer $LOOPS_API_KEY"
