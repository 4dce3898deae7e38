"""Replies given without asking Rasa: protocol-level situations and system trouble."""

UNSUPPORTED = "我暂时只能看懂文字和语音哦。请直接打字或发语音，告诉我您想了解什么。"
UNRECOGNISED_VOICE = "不好意思，这条语音我没听清。请再说一遍，或者直接打字告诉我。"
RECEIVED_WILL_ANSWER = "您的消息已收到，系统正忙，稍后在这里回复您。"
SORRY_TRY_AGAIN = "抱歉，系统出了点问题，请稍后再试。着急的话可以拨打12333。"
