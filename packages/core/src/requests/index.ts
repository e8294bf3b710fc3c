export { Request, type RequestClass, type ResultOf } from './request';
export { EventRaisingHandler, type HandlerClass, type RequestHandler } from './request-handler';
export { RequestMap } from './request-map';
