import crypto from 'node:crypto';
function t(name, n, fn){ for(let i=0;i<5000;i++)fn(); let best=[]; for(let r=0;r<5;r++){const s=performance.now(); for(let i=0;i<n;i++)fn(); best.push((performance.now()-s)*1000/n);} best.sort((a,b)=>a-b); console.log(name, best[2].toFixed(3),'us'); }
const key=crypto.randomBytes(32), info=crypto.randomBytes(63);
const ko=crypto.createSecretKey(key);
t('createHmac buf',100000,()=>crypto.createHmac('sha256',key).update(info).digest());
t('createHmac keyobj',100000,()=>crypto.createHmac('sha256',ko).update(info).digest());
const ip=Buffer.alloc(64,0x36), op=Buffer.alloc(64,0x5c); for(let i=0;i<32;i++){ip[i]^=key[i];op[i]^=key[i];}
const inner=crypto.createHash('sha256').update(ip), outer=crypto.createHash('sha256').update(op);
t('hash copy hmac',100000,()=>outer.copy().update(inner.copy().update(info).digest()).digest());
const pool=Buffer.allocUnsafeSlow(4096); let off=4096;
t('nonce pool',100000,()=>{ if(off+12>pool.length){crypto.randomFillSync(pool);off=0;} const n=pool.subarray(off,off+12); off+=12; return n;});
t('createCipheriv keyobj',100000,()=>crypto.createCipheriv('aes-256-gcm',crypto.createSecretKey(key),info.subarray(0,12),{authTagLength:16}));
t('createCipheriv buf',100000,()=>crypto.createCipheriv('aes-256-gcm',key,info.subarray(0,12),{authTagLength:16}));
t('alloc 64k unsafe', 100000, ()=>Buffer.allocUnsafe(65536+100));
t('alloc 64k slow', 100000, ()=>Buffer.allocUnsafeSlow(65536+100));
