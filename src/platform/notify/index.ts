// The notification channel modules share (the messaging module will serve it with more deliveries).
export { InAppNotifier, NotificationInbox, type Notice, type Notifier, type NotificationView } from './notifier';
