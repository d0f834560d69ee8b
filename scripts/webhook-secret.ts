// npm run webhook:secret — prints a new Standard Webhooks secret. To rotate without downtime, set
// REVALIDATE_SECRET="<new>,<old>" on the app, move the senders to <new>, then drop <old>.
import { newSecret } from '@/lib/webhooks/secrets';

console.log(newSecret());
